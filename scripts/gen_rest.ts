// Generates the management API's code from RunPod's OpenAPI document.
//
//   deno run -A scripts/gen_rest.ts            refresh spec/runpod-rest-v2.json from
//                                              ../shared/runpod-rest-v2.openapi.json (if present,
//                                              or --from PATH), then regenerate the files below
//   deno run -A scripts/gen_rest.ts --check    fail (exit 1) when a committed file differs from
//                                              what the committed spec (and the source, if
//                                              present) generates
//
// Outputs:
//   spec/runpod-rest-v2.json        the spec with RunPod's prose stripped (what the project builds from)
//   spec/runpod-rest-v2.gen.ts      openapi-typescript 7.13.0's output, the intermediate step that
//                                   schemas.gen.ts is cut from (outside src/: no module imports it,
//                                   so it is not published)
//   src/rest/_operations.gen.ts     operationId -> method, path, body, success statuses, query names
//   src/rest/_bodies.gen.ts         compact validation tables of every request body (for checkBody)
//   src/rest/schemas.gen.ts         every schema as its own exported type (public: rest.ts re-exports
//                                   them), cut out of the openapi-typescript output
//
// The body compiler understands exactly the JSON Schema the spec's request bodies use (type,
// enum, const, min/max, minLength/maxLength, pattern, items, minItems/maxItems, uniqueItems,
// properties, required, additionalProperties, unevaluatedProperties, allOf, oneOf with a
// discriminator, minProperties, dependentRequired and two if/then shapes); anything else throws
// here, at generation time, so a new construct in a future spec cannot be skipped silently.

const root = new URL("../", import.meta.url).pathname.replace(/\/$/, "");
const SPEC = `${root}/spec/runpod-rest-v2.json`;
const OUT = {
  types: `${root}/spec/runpod-rest-v2.gen.ts`,
  operations: `${root}/src/rest/_operations.gen.ts`,
  bodies: `${root}/src/rest/_bodies.gen.ts`,
  schemas: `${root}/src/rest/schemas.gen.ts`,
};
/** Schema names that would clash with the job client's exports, and their public names. */
const RENAMES: Record<string, string> = { Endpoint: "ServerlessEndpoint" };
const args = Deno.args;
const check = args.includes("--check");
const fromIndex = args.indexOf("--from");
const source = fromIndex >= 0
  ? args[fromIndex + 1]
  : [`${root}/../shared`, `${root}/../../shared`].map((dir) => `${dir}/runpod-rest-v2.openapi.json`)
    .find((path) => {
      try {
        return Deno.statSync(path).isFile;
      } catch {
        return false;
      }
    });

// deno-lint-ignore no-explicit-any
type Json = any;

// ---------------------------------------------------------------- prose stripping

/** Keys whose children are names (of properties, paths, statuses...), not keywords. */
const NAMED_MAPS = new Set([
  "properties",
  "patternProperties",
  "$defs",
  "schemas",
  "paths",
  "responses",
  "headers",
  "securitySchemes",
  "content",
  "mapping",
  "dependentRequired",
  "dependentSchemas",
  "encoding",
  "links",
  "callbacks",
  "variables",
  "requestBodies",
]);
/** Prose keywords: RunPod's text, never copied into the project. */
const PROSE = new Set(["description", "summary", "title", "examples", "example", "x-codeSamples"]);

/** A keyword object without its prose (a response object keeps an empty description). */
function stripNode(node: Json, kind = ""): Json {
  if (Array.isArray(node)) return node.map((item) => stripNode(item));
  if (node === null || typeof node !== "object") return node;
  const out: Json = {};
  for (const [key, value] of Object.entries<Json>(node)) {
    if (PROSE.has(key)) {
      // OpenAPI requires a response object's description: keep the key, drop the text.
      if (key === "description" && kind === "response") out[key] = "";
      continue;
    }
    if ((NAMED_MAPS.has(key) || key === "parameters") && value && !Array.isArray(value)) {
      out[key] = Object.fromEntries(
        Object.entries<Json>(value).map((
          [name, child],
        ) => [name, stripNode(child, key === "responses" ? "response" : "")]),
      );
    } else out[key] = stripNode(value);
  }
  return out;
}

/** The spec without RunPod's prose: every description, summary, title and example. */
function stripSpec(spec: Json): Json {
  const out = stripNode(spec);
  out.info = { title: spec.info.title, version: spec.info.version };
  return out;
}

// ---------------------------------------------------------------- operations

const METHODS = ["get", "put", "post", "patch", "delete"];

function deref(spec: Json, node: Json): Json {
  while (node && typeof node === "object" && typeof node.$ref === "string") {
    const parts = node.$ref.replace(/^#\//, "").split("/");
    node = parts.reduce((at: Json, part: string) => at[part], spec);
  }
  return node;
}

interface Operation {
  id: string;
  method: string;
  path: string;
  body: Json | undefined;
  ok: number[];
  query: string[];
  stream: boolean;
}

function operations(spec: Json): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries<Json>(spec.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const params = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p: Json) =>
        deref(spec, p)
      );
      const ok = Object.keys(op.responses).filter((s) => /^2\d\d$/.test(s)).map(Number);
      const stream = Object.values<Json>(op.responses).some((r) =>
        deref(spec, r)?.content?.["text/event-stream"] !== undefined
      );
      out.push({
        id: op.operationId,
        method: method.toUpperCase(),
        path: path.replace(/^\/v2/, ""),
        body: op.requestBody ? deref(spec, op.requestBody) : undefined,
        ok,
        query: params.filter((p: Json) => p.in === "query").map((p: Json) => p.name),
        stream,
      });
    }
  }
  return out;
}

function renderOperations(ops: Operation[]): string {
  const lines = ops.map((op) => {
    const fields = [
      `method: "${op.method}"`,
      `path: "${op.path}"`,
      `body: ${op.body !== undefined}`,
      `ok: [${op.ok.join(", ")}]`,
    ];
    if (op.query.length) fields.push(`query: [${op.query.map((q) => `"${q}"`).join(", ")}]`);
    if (op.stream) fields.push(`stream: true`);
    return `  ${op.id}: { ${fields.join(", ")} },`;
  });
  return `// Generated by scripts/gen_rest.ts from spec/runpod-rest-v2.json: do not edit.

/** One route of the management API, as the spec describes it. */
export interface Operation {
  /** The HTTP method. */
  readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** The path under the API's base URL (\`/v2\`), with \`{id}\`-style parameters. */
  readonly path: string;
  /** Whether the route takes a JSON body. */
  readonly body: boolean;
  /** The success statuses the spec lists. */
  readonly ok: readonly number[];
  /** The names of the query parameters the route accepts. */
  readonly query?: readonly string[];
  /** Whether the route answers with Server-Sent Events. */
  readonly stream?: true;
}

/** Every route of the management API by its operationId. */
export const OPERATIONS = {
${lines.join("\n")}
} as const satisfies Record<string, Operation>;

/** The operationId of a route of the management API. */
export type OperationId = keyof typeof OPERATIONS;
`;
}

// ---------------------------------------------------------------- body tables

/** A compiled node; its shape is described in src/rest/_check_body.ts. */
type Node = Record<string, Json>;

const IGNORED = new Set(["default", "format", "x-enum-varnames", "discriminator", "readOnly"]);

function compileBody(spec: Json, schema: Json, path: string): Node {
  const seen: Json[] = [];
  return compile(spec, schema, path, seen);
}

function fail(path: string, message: string): never {
  throw new Error(`gen_rest: ${path}: ${message}`);
}

/** Merges a schema with its allOf branches into one flat schema (objects only). */
function flatten(spec: Json, schema: Json, path: string): Json {
  schema = deref(spec, schema);
  const out: Json = { ...schema };
  delete out.allOf;
  for (const branch of schema.allOf ?? []) {
    const flat = flatten(spec, branch, path);
    for (const [key, value] of Object.entries<Json>(flat)) {
      if (key === "properties") {
        out.properties ??= {};
        for (const [name, prop] of Object.entries<Json>(value)) {
          out.properties[name] = out.properties[name]
            ? { allOf: [out.properties[name], prop] }
            : prop;
        }
      } else if (key === "required") {
        out.required = [...new Set([...(out.required ?? []), ...value])];
      } else if (key === "additionalProperties" && value === false) {
        out.$closedBranch = [...(out.$closedBranch ?? []), Object.keys(flat.properties ?? {})];
      } else if (key === "if" || key === "then") {
        out.$conditions = [...(out.$conditions ?? []), [flat.if, flat.then]];
      } else if (key === "$conditions" || key === "$closedBranch") {
        out[key] = [...(out[key] ?? []), ...value];
      } else if (out[key] === undefined || JSON.stringify(out[key]) === JSON.stringify(value)) {
        out[key] = value;
      } else if (!IGNORED.has(key) && key !== "type") {
        fail(path, `allOf branches disagree on '${key}'`);
      }
    }
  }
  if (schema.if !== undefined) {
    out.$conditions = [...(out.$conditions ?? []), [schema.if, schema.then]];
    delete out.if;
    delete out.then;
  }
  if (out.type === undefined && out.properties) out.type = "object";
  return out;
}

function compile(spec: Json, raw: Json, path: string, seen: Json[]): Node {
  const name = typeof raw?.$ref === "string" ? raw.$ref.split("/").pop() : undefined;
  const schema = flatten(spec, raw, path);
  const node: Node = {};
  if (name) node.$name = name;
  const types: string[] = Array.isArray(schema.type) ? schema.type : [schema.type];
  const nullable = types.includes("null");
  const type = types.find((t) => t !== "null");
  const known = new Set([
    "type",
    "enum",
    "const",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
    "pattern",
    "items",
    "minItems",
    "maxItems",
    "uniqueItems",
    "properties",
    "required",
    "additionalProperties",
    "unevaluatedProperties",
    "oneOf",
    "minProperties",
    "dependentRequired",
    "$conditions",
    "$closedBranch",
    ...IGNORED,
  ]);
  for (const key of Object.keys(schema)) {
    if (!known.has(key)) fail(path, `unsupported keyword '${key}'`);
  }
  if (schema.oneOf) {
    const key = schema.discriminator?.propertyName;
    if (!key) fail(path, "oneOf without a discriminator");
    const m: Json = {};
    for (const branch of schema.oneOf) {
      const compiled = compile(spec, branch, path, seen);
      const tag = compiled.p?.[key]?.e;
      if (!tag || tag.length !== 1) fail(path, `oneOf branch without a single '${key}' value`);
      m[tag[0]] = compiled;
    }
    return { ...node, t: "u", k: key, m };
  }
  if (nullable) node.nul = 1;
  if (schema.enum || schema.const !== undefined) {
    const values = schema.enum ?? [schema.const];
    if (!values.every((v: Json) => typeof v === "string")) fail(path, "non-string enum");
    return { ...node, t: "s", e: values };
  }
  switch (type) {
    case "string":
      node.t = "s";
      if (schema.minLength !== undefined) node.min = schema.minLength;
      if (schema.maxLength !== undefined) node.max = schema.maxLength;
      if (schema.pattern !== undefined) node.re = schema.pattern;
      return node;
    case "integer":
    case "number":
      node.t = type === "integer" ? "i" : "n";
      if (schema.minimum !== undefined) node.min = schema.minimum;
      if (schema.maximum !== undefined) node.max = schema.maximum;
      return node;
    case "boolean":
      node.t = "b";
      return node;
    case "array":
      node.t = "a";
      node.i = compile(spec, schema.items ?? {}, `${path}[]`, seen);
      if (schema.minItems !== undefined) node.min = schema.minItems;
      if (schema.maxItems !== undefined) node.max = schema.maxItems;
      if (schema.uniqueItems) node.u = 1;
      return node;
    case "object": {
      node.t = "o";
      const props = schema.properties ?? {};
      node.p = {};
      for (const [key, prop] of Object.entries<Json>(props)) {
        node.p[key] = compile(spec, prop, `${path}.${key}`, seen);
      }
      if (schema.required?.length) node.r = schema.required;
      const names = Object.keys(props);
      for (const branch of schema.$closedBranch ?? []) {
        const extra = names.filter((n) => !branch.includes(n));
        if (extra.length) fail(path, `a closed allOf branch forbids ${extra.join(", ")}`);
      }
      const closed = schema.additionalProperties === false ||
        schema.unevaluatedProperties === false || (schema.$closedBranch ?? []).length > 0;
      if (typeof schema.additionalProperties === "object") {
        node.v = compile(spec, schema.additionalProperties, `${path}.*`, seen);
      } else if (!closed) node.open = 1;
      if (schema.minProperties !== undefined) node.mp = schema.minProperties;
      if (schema.dependentRequired) node.dr = schema.dependentRequired;
      for (const [cond, then] of schema.$conditions ?? []) {
        compileCondition(spec, node, cond, then, path, seen);
      }
      return node;
    }
    default:
      if (Object.keys(schema).every((k) => IGNORED.has(k))) return { ...node, t: "*" };
      fail(path, `unsupported type '${type}'`);
  }
}

function compileCondition(
  spec: Json,
  node: Node,
  cond: Json,
  then: Json,
  path: string,
  seen: Json[],
): void {
  const only = (o: Json, keys: string[]) => Object.keys(o).every((k) => keys.includes(k));
  // if: { not: { required: [a] } }, then: { required: [b] }  ->  b is required unless a is given
  if (
    only(cond, ["not"]) && only(cond.not, ["required"]) && cond.not.required.length === 1 &&
    only(then, ["required"])
  ) {
    for (const field of then.required) {
      node.ru = [...(node.ru ?? []), [field, cond.not.required[0]]];
    }
    return;
  }
  // if: { required: [k], properties: { k: { const: v } } }, then: { properties: {...} }
  if (
    only(cond, ["required", "properties"]) && cond.required.length === 1 &&
    Object.keys(cond.properties).length === 1 &&
    cond.properties[cond.required[0]]?.const !== undefined &&
    only(then, ["properties"])
  ) {
    const key = cond.required[0];
    const props: Json = {};
    for (const [name, prop] of Object.entries<Json>(then.properties)) {
      props[name] = compile(spec, prop, `${path}.${name}`, seen);
    }
    node.w = [...(node.w ?? []), [key, cond.properties[key].const, props]];
    return;
  }
  fail(path, `unsupported if/then: ${JSON.stringify({ if: cond, then })}`);
}

function renderBodies(spec: Json, ops: Operation[]): string {
  const bodies: [string, Node, boolean][] = [];
  for (const op of ops) {
    if (!op.body) continue;
    const schema = op.body.content?.["application/json"]?.schema;
    if (!schema) fail(op.id, "a body that is not application/json");
    bodies.push([op.id, compileBody(spec, schema, op.id), op.body.required === true]);
  }
  // Hoist every named schema used more than once into its own constant.
  const counts = new Map<string, number>();
  const count = (node: Json) => {
    if (Array.isArray(node)) return node.forEach(count);
    if (node === null || typeof node !== "object") return;
    if (node.$name) {
      const key = JSON.stringify(node);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    Object.values(node).forEach(count);
  };
  bodies.forEach(([, node]) => count(node));
  const hoisted = new Map<string, string>(); // JSON -> const name
  const decls: string[] = [];
  const used = new Set<string>();
  const render = (node: Json, top = false): string => {
    if (Array.isArray(node)) return `[${node.map((n) => render(n)).join(", ")}]`;
    if (node === null || typeof node !== "object") return JSON.stringify(node);
    const key = JSON.stringify(node);
    if (!top && node.$name && (counts.get(key) ?? 0) > 1) {
      let constName = hoisted.get(key);
      if (!constName) {
        constName = node.$name as string;
        let n = 2;
        while (used.has(constName)) constName = `${node.$name}${n++}`;
        used.add(constName);
        const body = render(node, true);
        hoisted.set(key, constName);
        decls.push(`const ${constName}: Node = ${body};`);
      }
      return constName;
    }
    const entries = Object.entries(node).filter(([k]) => k !== "$name").map(([k, v]) =>
      `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}: ${render(v)}`
    );
    return `{ ${entries.join(", ")} }`;
  };
  const table = bodies.map(([id, node, required]) =>
    `  ${id}: ${required ? "" : "/* optional */ "}${render(node)},`
  );
  return `// Generated by scripts/gen_rest.ts from spec/runpod-rest-v2.json: do not edit.
// The request-body schemas of the management API as compact tables for checkBody()
// (src/rest/_check_body.ts describes each node's fields).
import type { Node } from "./_check_body.ts";

${decls.join("\n")}

/** The schema of each operation's JSON body, by operationId. */
export const BODIES: Record<string, Node> = {
${table.join("\n")}
};
`;
}

// ---------------------------------------------------------------- types

async function run(cmd: string, cmdArgs: string[], stdin?: string): Promise<string> {
  const child = new Deno.Command(cmd, {
    args: cmdArgs,
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(stdin));
    await writer.close();
  }
  const out = await child.output();
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) {
    throw new Error(`${cmd} ${cmdArgs.join(" ")} failed: ${new TextDecoder().decode(out.stderr)}`);
  }
  return text;
}

async function renderTypes(specPath: string): Promise<string> {
  const out = await run(`${root}/node_modules/.bin/openapi-typescript`, [
    specPath,
    "--root-types",
    "--root-types-no-schema-prefix",
    "--alphabetize",
    "--default-non-nullable=false",
  ]);
  const body = out.replace(/^\/\*\*[\s\S]*?\*\/\n*/, "");
  return `// Generated by scripts/gen_rest.ts with openapi-typescript 7.13.0 from
// spec/runpod-rest-v2.json: do not edit.
// deno-lint-ignore-file
${body}`;
}

/**
 * Every schema of the openapi-typescript output as its own exported type, so that
 * the public types need no `components["schemas"][...]` lookups.
 */
function renderSchemas(types: string): string {
  const lines = types.split("\n");
  const start = lines.indexOf("  schemas: {");
  if (start === -1) {
    throw new Error("gen_rest: no components.schemas in the openapi-typescript output");
  }
  const out: string[] = [];
  let pending: string[] = [];
  let current: string | undefined;
  const publicName = (name: string) => RENAMES[name] ?? name;
  const rewrite = (line: string) =>
    line.replace(/components\["schemas"\]\["(\w+)"\]/g, (_, name) => publicName(name))
      // openapi-typescript's private helper, spelled with built-ins so every type stays public
      .replace(/WithRequired<(\w+), ([^<>]+)>/g, "$1 & Required<Pick<$1, $2>>");
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === "  };") break;
    const head = /^ {4}(\w+):(?: (.*))?$/.exec(line);
    if (head) {
      current = publicName(head[1]!);
      out.push(`/** The \`${head[1]}\` schema of RunPod's REST v2 API. */`);
      const tags = pending.map((l) => l.trim().replace(/^\/\*\* | \*\/$/g, ""))
        .filter((tag) => !tag.startsWith("@enum")).join(" ");
      if (tags) out[out.length - 1] = out.at(-1)!.replace(" */", ` ${tags} */`);
      pending = [];
      out.push(`export type ${current} = ${rewrite(head[2] ?? "")}`);
    } else if (/^ {4}\/\*\**\*.*\*\/$/.test(line)) {
      pending.push(line);
    } else if (line === "    /**") {
      for (i++; lines[i] !== "     */"; i++) {
        pending.push(`/** ${lines[i]!.replace(/^\s*\* /, "")} */`);
      }
    } else if (/^ {4}\S/.test(line) && !/^ {4}[};\]]/.test(line)) {
      throw new Error(`gen_rest: unexpected line in components.schemas: ${line}`);
    } else {
      out.push(rewrite(line.slice(4)));
    }
  }
  // The query parameters of each operation, as `<OperationId>Query` (parameters inlined).
  const params = new Map<string, string>();
  const paramStart = lines.indexOf("  parameters: {");
  for (let i = paramStart + 1; paramStart >= 0 && lines[i] !== "  };"; i++) {
    const match = /^ {4}(\w+): (.*);$/.exec(lines[i]!);
    if (!match) throw new Error(`gen_rest: unexpected line in components.parameters: ${lines[i]}`);
    params.set(match[1]!, rewrite(match[2]!));
  }
  const inline = (line: string) =>
    rewrite(line).replace(/components\["parameters"\]\["(\w+)"\]/g, (_, name) => {
      const type = params.get(name);
      if (type === undefined) throw new Error(`gen_rest: unknown parameter ${name}`);
      return type;
    });
  const opsStart = lines.indexOf("export interface operations {");
  let op: string | undefined;
  for (let i = opsStart + 1; opsStart >= 0 && lines[i] !== "}"; i++) {
    const line = lines[i]!;
    const head = /^ {2}(\w+): \{$/.exec(line);
    if (head) op = head[1];
    if (line !== "      query?: {" || op === undefined) continue;
    const name = `${op[0]!.toUpperCase()}${op.slice(1)}Query`;
    out.push(`/** The query parameters of the \`${op}\` operation of RunPod's REST v2 API. */`);
    out.push(`export type ${name} = {`);
    for (i++; lines[i] !== "      };"; i++) out.push(inline(lines[i]!.slice(6)));
    out.push("};");
  }
  return `// Generated by scripts/gen_rest.ts with openapi-typescript 7.13.0 from
// spec/runpod-rest-v2.json: do not edit. Public: rest.ts (@runpod/sdk/rest) re-exports every type.
${out.join("\n")}
`;
}

async function fmt(text: string): Promise<string> {
  return await run(Deno.execPath(), ["fmt", "--ext", "ts", "-"], text);
}

// ---------------------------------------------------------------- main

async function readText(path: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

const problems: string[] = [];
const sourceText = source ? await readText(source) : undefined;
let specText = await readText(SPEC);
if (sourceText !== undefined) {
  const stripped = JSON.stringify(stripSpec(JSON.parse(sourceText)), null, 2) + "\n";
  if (stripped !== specText) {
    if (check) problems.push(`${SPEC} differs from the stripped ${source}`);
    else {
      await Deno.mkdir(`${root}/spec`, { recursive: true });
      await Deno.writeTextFile(SPEC, stripped);
      specText = stripped;
      console.log(`wrote ${SPEC}`);
    }
  }
}
if (specText === undefined) {
  console.error(`No ${SPEC} and no source spec: pass --from PATH`);
  Deno.exit(1);
}
const spec = JSON.parse(specText);
const ops = operations(spec);
const types = await fmt(await renderTypes(SPEC));
const outputs: [string, string][] = [
  [OUT.types, types],
  [OUT.schemas, await fmt(renderSchemas(types))],
  [OUT.operations, await fmt(renderOperations(ops))],
  [OUT.bodies, await fmt(renderBodies(spec, ops))],
];
for (const [path, text] of outputs) {
  const current = await readText(path);
  if (current === text) continue;
  if (check) problems.push(`${path} is out of date: run deno run -A scripts/gen_rest.ts`);
  else {
    await Deno.mkdir(path.replace(/\/[^/]+$/, ""), { recursive: true });
    await Deno.writeTextFile(path, text);
    console.log(`wrote ${path}`);
  }
}
if (problems.length) {
  for (const problem of problems) console.error(problem);
  Deno.exit(1);
}
if (check) console.log("REST types, operations and body tables match the spec");
