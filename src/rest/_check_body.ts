// Checks a management API request body against the spec's schema before it is
// sent (the server would answer 422). The schemas come from the compact tables
// that scripts/gen_rest.ts generates into _bodies.gen.ts; this file is the
// small interpreter of those tables. Shared by the client and the emulator.
import { BODIES } from "./_bodies.gen.ts";
import { OPERATIONS } from "./_operations.gen.ts";

/**
 * A compiled schema node of the body tables:
 * - `t`: the kind: `s` string, `i` integer, `n` number, `b` boolean, `a` array,
 *   `o` object, `u` a union told apart by the field `k` (`m` maps each value of
 *   `k` to its node), `*` anything;
 * - `nul`: `null` is accepted too; `e`: the accepted strings;
 * - `min`/`max`: the range of a number, the length of a string (in code points)
 *   or the item count of an array; `re`: a string's pattern; `i`: an array's
 *   item node; `u`: items must be unique;
 * - objects: `p` the known fields, `r` the required ones, `v` the node of any
 *   other field's value (a map such as `env`), `open` other fields are allowed
 *   (otherwise they are not: bodies are closed), `mp` the fewest fields,
 *   `dr` fields that require others, `ru` `[field, other]`: `field` is
 *   required unless `other` is given, `w` `[field, value, nodes]`: when
 *   `field` equals `value`, the fields of `nodes` must also match them.
 */
export type Node =
  | { t: "*" }
  | { t: "s"; e?: readonly string[]; min?: number; max?: number; re?: string; nul?: 1 }
  | { t: "i" | "n"; min?: number; max?: number; nul?: 1 }
  | { t: "b"; nul?: 1 }
  | { t: "a"; i: Node; min?: number; max?: number; u?: 1; nul?: 1 }
  | {
    t: "o";
    p: { readonly [field: string]: Node };
    r?: readonly string[];
    v?: Node;
    open?: 1;
    mp?: number;
    dr?: { readonly [field: string]: readonly string[] };
    ru?: readonly (readonly [string, string])[];
    w?: readonly (readonly [string, string, { readonly [field: string]: Node }])[];
    nul?: 1;
  }
  | { t: "u"; k: string; m: { readonly [value: string]: Node } };

/**
 * Checks the JSON body of a management API operation against the spec.
 *
 * @param operationId The operation, such as `"createEndpoint"`.
 * @param body The body as it would be sent (fields whose value is `undefined`
 *   count as absent, as `JSON.stringify` drops them).
 * @returns Every problem found, such as `"$.workers.max: must be at least 0"`
 *   or `"$: unknown field 'bogus'"`; empty when the body is valid.
 */
export function checkBody(operationId: string, body: unknown): string[] {
  const op = (OPERATIONS as Record<string, { body: boolean }>)[operationId];
  if (op === undefined) throw new TypeError(`Unknown operation '${operationId}'`);
  const node = BODIES[operationId];
  if (node === undefined) return body === undefined ? [] : ["$: this operation takes no body"];
  if (body === undefined) return ["$: required"];
  const problems: string[] = [];
  check(node, body, "$", problems);
  return problems;
}

const KINDS = {
  s: "a string",
  i: "an integer",
  n: "a number",
  b: "a boolean",
  a: "an array",
  o: "an object",
  u: "an object",
} as const;

const patterns = new Map<string, RegExp>();

function field(path: string, name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? `${path}.${name}` : `${path}[${JSON.stringify(name)}]`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function kindOf(node: Node, value: unknown): boolean {
  switch (node.t) {
    case "s":
      return typeof value === "string";
    case "i":
      return Number.isInteger(value);
    case "n":
      return typeof value === "number" && Number.isFinite(value);
    case "b":
      return typeof value === "boolean";
    case "a":
      return Array.isArray(value);
    default:
      return isObject(value);
  }
}

/** A JSON text with sorted keys, so that equal values compare equal. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (isObject(value)) {
    return `{${
      Object.keys(value).sort().filter((k) => value[k] !== undefined)
        .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(",")
    }}`;
  }
  return JSON.stringify(value) ?? "null";
}

function check(node: Node, value: unknown, path: string, out: string[]): void {
  if (node.t === "*") return;
  if (value === null && "nul" in node && node.nul) return;
  if (!kindOf(node, value)) {
    const nullable = "nul" in node && node.nul ? " or null" : "";
    out.push(`${path}: must be ${KINDS[node.t]}${nullable}`);
    return;
  }
  switch (node.t) {
    case "s": {
      const text = value as string;
      if (node.e && !node.e.includes(text)) {
        out.push(`${path}: must be one of ${node.e.join(", ")}`);
        return;
      }
      const length = node.min !== undefined || node.max !== undefined ? [...text].length : 0;
      if (node.min !== undefined && length < node.min) {
        out.push(`${path}: must be at least ${node.min} characters long`);
      }
      if (node.max !== undefined && length > node.max) {
        out.push(`${path}: must be at most ${node.max} characters long`);
      }
      if (node.re !== undefined) {
        let re = patterns.get(node.re);
        if (!re) patterns.set(node.re, re = new RegExp(node.re, "u"));
        if (!re.test(text)) out.push(`${path}: must match the pattern ${node.re}`);
      }
      return;
    }
    case "i":
    case "n": {
      const number = value as number;
      if (node.min !== undefined && number < node.min) {
        out.push(`${path}: must be at least ${node.min}`);
      }
      if (node.max !== undefined && number > node.max) {
        out.push(`${path}: must be at most ${node.max}`);
      }
      return;
    }
    case "a": {
      const items = value as unknown[];
      if (node.min !== undefined && items.length < node.min) {
        out.push(`${path}: must have at least ${node.min} item${node.min === 1 ? "" : "s"}`);
      }
      if (node.max !== undefined && items.length > node.max) {
        out.push(`${path}: must have at most ${node.max} item${node.max === 1 ? "" : "s"}`);
      }
      const seen = new Map<string, number>();
      items.forEach((item, index) => {
        check(node.i, item, `${path}[${index}]`, out);
        if (!node.u) return;
        const key = canonical(item);
        const first = seen.get(key);
        if (first === undefined) seen.set(key, index);
        else out.push(`${path}[${index}]: must not repeat item ${first}`);
      });
      return;
    }
    case "u": {
      const object = value as Record<string, unknown>;
      const tag = object[node.k];
      const branch = typeof tag === "string" ? node.m[tag] : undefined;
      if (tag === undefined) out.push(`${field(path, node.k)}: required`);
      else if (branch === undefined) {
        out.push(`${field(path, node.k)}: must be one of ${Object.keys(node.m).join(", ")}`);
      } else check(branch, value, path, out);
      return;
    }
    case "o":
      checkObject(node, value as Record<string, unknown>, path, out);
  }
}

function checkObject(
  node: Extract<Node, { t: "o" }>,
  object: Record<string, unknown>,
  path: string,
  out: string[],
): void {
  const has = (name: string) => object[name] !== undefined;
  for (const name of node.r ?? []) if (!has(name)) out.push(`${field(path, name)}: required`);
  for (const [name, other] of node.ru ?? []) {
    if (!has(name) && !has(other)) out.push(`${field(path, name)}: required without ${other}`);
  }
  for (const [name, needs] of Object.entries(node.dr ?? {})) {
    if (!has(name)) continue;
    for (const need of needs) {
      if (!has(need)) out.push(`${field(path, need)}: required with ${name}`);
    }
  }
  let count = 0;
  for (const [name, value] of Object.entries(object)) {
    if (value === undefined) continue;
    count++;
    const known = Object.hasOwn(node.p, name) ? node.p[name] : node.v;
    if (known) check(known, value, field(path, name), out);
    else if (!node.open) out.push(`${path}: unknown field '${name}'`);
  }
  if (node.mp !== undefined && count < node.mp) {
    out.push(`${path}: must have at least ${node.mp} field${node.mp === 1 ? "" : "s"}`);
  }
  for (const [name, equals, nodes] of node.w ?? []) {
    if (object[name] !== equals) continue;
    const more: string[] = [];
    for (const [other, extra] of Object.entries(nodes)) {
      if (has(other)) check(extra, object[other], field(path, other), more);
    }
    for (const problem of more) out.push(`${problem} when ${name} is ${equals}`);
  }
}
