// checkBody() against the spec itself: for every operation with a body, random
// valid bodies and one-mutation invalid bodies are judged by checkBody() and by
// ajv (JSON Schema 2020-12, the spec's dialect) on the committed spec, and the
// two must agree on every one of them. Fixed seeds: a failure replays exactly.
import assert from "node:assert/strict";
import { Ajv2020 } from "ajv/dist/2020.js";
import { checkBody, type Node } from "../../src/rest/_check_body.ts";
import { BODIES } from "../../src/rest/_bodies.gen.ts";
import { OPERATIONS } from "../../src/rest/_operations.gen.ts";

const spec = JSON.parse(
  await Deno.readTextFile(new URL("../../spec/runpod-rest-v2.json", import.meta.url)),
);
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false, logger: false });
// ajv 8.20 counts no property as evaluated when an `if` that sits beside
// `unevaluatedProperties` and holds `properties` fails (CreateEndpointRequest's
// LOAD_BALANCER rule): it would reject every QUEUE endpoint. Moving `if`/`then`
// into an `allOf` entry means the same in JSON Schema 2020-12, and ajv gets it right.
for (const schema of Object.values<Record<string, unknown>>(spec.components.schemas)) {
  if (schema.if === undefined || schema.unevaluatedProperties === undefined) continue;
  schema.allOf = [...(schema.allOf as unknown[] ?? []), { if: schema.if, then: schema.then }];
  delete schema.if;
  delete schema.then;
}
ajv.addSchema({ $id: "spec", components: spec.components });

function ajvFor(operationId: string) {
  for (const item of Object.values<Record<string, Record<string, unknown>>>(spec.paths)) {
    for (const op of Object.values(item)) {
      if ((op as { operationId?: string }).operationId !== operationId) continue;
      // deno-lint-ignore no-explicit-any
      const ref = (op as any).requestBody.content["application/json"].schema.$ref as string;
      const validate = ajv.getSchema(`spec${ref}`);
      if (!validate) throw new Error(`no schema ${ref}`);
      return validate;
    }
  }
  throw new Error(`no operation ${operationId}`);
}

/** A small seeded PRNG (mulberry32). */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
type Rng = () => number;
const int = (rng: Rng, min: number, max: number) => min + Math.floor(rng() * (max - min + 1));
const pick = <T>(rng: Rng, items: readonly T[]): T => items[int(rng, 0, items.length - 1)]!;

/** Strings that match each pattern the spec's bodies use (a new pattern fails the test). */
const SAMPLES: Record<string, string[]> = {
  "^\\d+\\.\\d+$": ["12.4", "11.8", "12.1"],
  "^$|^\\d+\\.\\d+$": ["", "12.4"],
  "^\\s*[^-\\s]": ["NVIDIA A40", "AMPERE_16", " H100"],
  "^(ssh|ecdsa|sk)-[^\\s]+ [^\\s]+([ \\t][^\\n\\r]*)?$": [
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5 me@laptop",
    "ecdsa-sha2-nistp256 AAAAE2VjZHNh",
  ],
};
/** Strings that break it. */
const BREAKERS: Record<string, string> = {
  "^\\d+\\.\\d+$": "12",
  "^$|^\\d+\\.\\d+$": "v12",
  "^\\s*[^-\\s]": "-A40",
  "^(ssh|ecdsa|sk)-[^\\s]+ [^\\s]+([ \\t][^\\n\\r]*)?$": "rsa AAAA",
};

function word(rng: Rng, length: number): string {
  let text = "";
  for (let i = 0; i < length; i++) text += pick(rng, [..."abcdefghijklmnopqrstuvwxyz_0123456789"]);
  return text;
}

/** A random value valid for the node. */
function generate(node: Node, rng: Rng): unknown {
  switch (node.t) {
    case "*":
      return word(rng, 3);
    case "s":
      if (node.e) return pick(rng, node.e);
      if (node.re !== undefined) {
        const samples = SAMPLES[node.re];
        if (!samples) throw new Error(`no sample strings for the pattern ${node.re}`);
        return pick(rng, samples);
      }
      return word(rng, int(rng, node.min ?? 0, (node.min ?? 0) + 6));
    case "i": {
      const min = node.min ?? -5;
      return int(rng, min, node.max ?? min + 200);
    }
    case "n": {
      const min = node.min ?? -5;
      return min + rng() * ((node.max ?? min + 100) - min);
    }
    case "b":
      return rng() < 0.5;
    case "a": {
      const length = int(rng, node.min ?? 0, Math.min(node.max ?? 3, 3));
      const items: unknown[] = [];
      const seen = new Set<string>();
      for (let tries = 0; items.length < length && tries < 50; tries++) {
        const item = generate(node.i, rng);
        const key = JSON.stringify(item);
        if (node.u && seen.has(key)) continue;
        seen.add(key);
        items.push(item);
      }
      return items.length >= (node.min ?? 0) ? items : generate(node, rng);
    }
    case "u": {
      const tag = pick(rng, Object.keys(node.m));
      return generate(node.m[tag]!, rng);
    }
    case "o": {
      const out: Record<string, unknown> = {};
      const names = Object.keys(node.p);
      for (const name of names) {
        if (node.r?.includes(name) || rng() < 0.5) out[name] = generate(node.p[name]!, rng);
      }
      for (const [name, other] of node.ru ?? []) {
        if (out[name] === undefined && out[other] === undefined) {
          out[name] = generate(node.p[name]!, rng);
        }
      }
      for (const [name, needs] of Object.entries(node.dr ?? {})) {
        if (out[name] === undefined) continue;
        for (const need of needs) out[need] ??= generate(node.p[need]!, rng);
      }
      if (node.v) {
        for (let i = int(rng, 0, 2); i > 0; i--) {
          out[word(rng, 4).toUpperCase()] = generate(node.v, rng);
        }
      }
      while (Object.keys(out).length < (node.mp ?? 0)) {
        const name = pick(rng, names);
        out[name] = generate(node.p[name]!, rng);
      }
      for (const [name, equals, nodes] of node.w ?? []) {
        if (out[name] !== equals) continue;
        for (const [other, extra] of Object.entries(nodes)) {
          if (out[other] !== undefined) out[other] = generate(extra, rng);
        }
      }
      return out;
    }
  }
}

interface Spot {
  node: Node;
  value: unknown;
  set(value: unknown): void;
  remove?: () => void;
}

/** Every place in a generated value, with the node that describes it. */
function spots(node: Node, value: unknown, set: (v: unknown) => void, out: Spot[]): void {
  out.push({ node, value, set });
  if (node.t === "u" && value && typeof value === "object") {
    const tag = (value as Record<string, unknown>)[node.k] as string;
    const branch = node.m[tag];
    if (branch?.t === "o") spots(branch, value, set, []), collectObject(branch, value, out);
  } else if (node.t === "o" && value && typeof value === "object") {
    collectObject(node, value, out);
  } else if (node.t === "a" && Array.isArray(value)) {
    value.forEach((item, i) => spots(node.i, item, (v) => (value[i] = v), out));
  }
}
function collectObject(node: Extract<Node, { t: "o" }>, value: object, out: Spot[]): void {
  const object = value as Record<string, unknown>;
  out.push({ node, value, set: () => {} });
  for (const [name, item] of Object.entries(object)) {
    const child = node.p[name] ?? node.v;
    if (!child) continue;
    const index = out.length;
    spots(child, item, (v) => (object[name] = v), out);
    out[index]!.remove = () => delete object[name];
  }
}

/** Changes one place of the value so that it is (most likely) invalid. */
function mutate(body: unknown, node: Node, rng: Rng): string {
  const all: Spot[] = [];
  spots(node, body, () => {}, all);
  const spot = pick(rng, all);
  const n = spot.node;
  const options: [string, () => void][] = [];
  if (n.t === "o") {
    const object = spot.value as Record<string, unknown>;
    options.push(["an unknown field", () => (object["bogusField"] = 1)]);
    for (const name of n.r ?? []) options.push([`no ${name}`, () => delete object[name]]);
    options.push(["an array for an object", () => spot.set([])]);
  }
  if (spot.remove) options.push(["a removed field", spot.remove]);
  if (n.t === "s") {
    options.push(["a number for a string", () => spot.set(7)]);
    if (n.e) options.push(["a value outside the enum", () => spot.set("BOGUS")]);
    if (n.min) options.push(["a short string", () => spot.set("")]);
    if (n.re !== undefined) options.push(["a string off pattern", () => spot.set(BREAKERS[n.re!])]);
  }
  if (n.t === "i" || n.t === "n") {
    options.push(["a string for a number", () => spot.set("5")]);
    if (n.min !== undefined) options.push(["a number below min", () => spot.set(n.min! - 1)]);
    if (n.max !== undefined) options.push(["a number above max", () => spot.set(n.max! + 1)]);
    if (n.t === "i") options.push(["a fraction for an integer", () => spot.set(2.5)]);
  }
  if (n.t === "b") options.push(["a string for a boolean", () => spot.set("true")]);
  if (n.t === "a") {
    const items = spot.value as unknown[];
    options.push(["an object for an array", () => spot.set({})]);
    if (n.min) options.push(["an empty array", () => items.splice(0)]);
    if (n.u && items.length) options.push(["a repeated item", () => items.push(items[0])]);
    if (n.max !== undefined) {
      options.push(["too many items", () => {
        while (items.length <= n.max!) items.push(generate(n.i, rng));
      }]);
    }
  }
  if (n.t === "u") {
    const object = spot.value as Record<string, unknown>;
    options.push(["an unknown tag", () => (object[n.k] = "BOGUS")]);
  }
  if (!options.length) return "nothing";
  const [what, apply] = pick(rng, options);
  apply();
  return what;
}

const operationsWithBodies = Object.keys(BODIES);

Deno.test("every operation with a JSON body in the spec has a body table, and no other does", () => {
  const withBody = Object.entries(OPERATIONS).filter(([, op]) => op.body).map(([id]) => id);
  assert.deepEqual(operationsWithBodies.sort(), withBody.sort());
  assert.ok(withBody.length >= 14);
});

Deno.test("checkBody() and ajv agree on random valid bodies of every operation", () => {
  for (const id of operationsWithBodies) {
    const validate = ajvFor(id);
    const rng = prng(id.length * 7919 + 1);
    for (let i = 0; i < 200; i++) {
      const body = JSON.parse(JSON.stringify(generate(BODIES[id]!, rng)));
      const ours = checkBody(id, body);
      const theirs = validate(body);
      assert.deepEqual(
        [ours, theirs],
        [[], true],
        `${id} ${JSON.stringify(body)}: ajv ${JSON.stringify(validate.errors)}`,
      );
    }
  }
});

Deno.test("checkBody() and ajv agree on bodies with one mutation, and checkBody names a field", () => {
  let invalid = 0;
  for (const id of operationsWithBodies) {
    const validate = ajvFor(id);
    const rng = prng(id.length * 104729 + 3);
    for (let i = 0; i < 300; i++) {
      const body = JSON.parse(JSON.stringify(generate(BODIES[id]!, rng)));
      const what = mutate(body, BODIES[id]!, rng);
      const sent = JSON.parse(JSON.stringify(body));
      const ours = checkBody(id, sent);
      const theirs = validate(sent);
      assert.equal(
        ours.length === 0,
        theirs,
        `${id} with ${what}: ${JSON.stringify(sent)}\nours: ${JSON.stringify(ours)}\najv: ${
          JSON.stringify(validate.errors)
        }`,
      );
      if (!theirs) invalid++;
      for (const problem of ours) assert.match(problem, /^\$[\w.[\]"-]*: /);
    }
  }
  assert.ok(invalid > operationsWithBodies.length * 150, `only ${invalid} invalid bodies`);
});

Deno.test("checkBody() names the field and the rule in its messages", () => {
  const ok = {
    name: "sd",
    type: "QUEUE",
    image: "me/worker:1",
    scaling: { type: "QUEUE_DELAY", queueDelay: 4 },
  };
  assert.deepEqual(checkBody("createEndpoint", ok), []);
  assert.deepEqual(checkBody("createEndpoint", { ...ok, bogus: 1 }), ["$: unknown field 'bogus'"]);
  assert.deepEqual(checkBody("createEndpoint", { ...ok, name: undefined }), ["$.name: required"]);
  assert.deepEqual(checkBody("createEndpoint", { ...ok, type: "SPOT" }), [
    "$.type: must be one of QUEUE, LOAD_BALANCER",
  ]);
  assert.deepEqual(checkBody("createEndpoint", { ...ok, workers: { idleTimeout: 3601 } }), [
    "$.workers.idleTimeout: must be at most 3600",
  ]);
  assert.deepEqual(checkBody("createEndpoint", { ...ok, image: undefined }), [
    "$.image: required without templateId",
  ]);
  assert.deepEqual(checkBody("createEndpoint", { ...ok, image: undefined, templateId: "t1" }), []);
  assert.deepEqual(checkBody("createEndpoint", { ...ok, type: "LOAD_BALANCER" }), [
    "$.scaling.requestCount: required when type is LOAD_BALANCER",
    "$.scaling.type: must be one of REQUEST_COUNT when type is LOAD_BALANCER",
    "$.scaling: unknown field 'queueDelay' when type is LOAD_BALANCER",
  ]);
  assert.deepEqual(checkBody("createEndpoint", { ...ok, env: { A: 1 } }), [
    "$.env.A: must be a string",
  ]);
  assert.deepEqual(
    checkBody("createNetworkVolume", { name: "v", size: 5, dataCenter: "EU-RO-1" }),
    [
      "$.size: must be at least 10",
    ],
  );
  assert.deepEqual(checkBody("updateNetworkVolume", {}), ["$: must have at least 1 field"]);
  assert.deepEqual(checkBody("podAction", { action: "reset" }), [
    "$.action: must be one of start, stop, restart, terminate",
  ]);
  assert.deepEqual(checkBody("createEndpoint", undefined), ["$: required"]);
  assert.deepEqual(checkBody("getEndpoint", undefined), []);
  assert.deepEqual(checkBody("getEndpoint", {}), ["$: this operation takes no body"]);
  assert.throws(() => checkBody("makeCoffee", {}), TypeError);
});
