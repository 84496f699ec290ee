// Raw HTTP access to the emulator's management API for the tests, with every
// answer checked against the response schema the spec gives for its status
// (ajv, JSON Schema 2020-12 as OpenAPI 3.1 uses it, with ajv-formats).
import assert from "node:assert/strict";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { type OperationId, OPERATIONS } from "../../../src/rest/_operations.gen.ts";
import { createEmulator, type EmulatorOptions, FakeClock } from "../../../testing.ts";

// deno-lint-ignore no-explicit-any
const spec: any = JSON.parse(
  await Deno.readTextFile(new URL("../../../spec/runpod-rest-v2.json", import.meta.url)),
);
const ajv = new Ajv2020({ strict: false, allErrors: true, logger: false });
// deno-lint-ignore no-explicit-any
const addFormats = addFormatsModule as any as (ajv: Ajv2020) => void;
addFormats(ajv);
// The spec's own example of an endpoint's requestUrls holds a `{job_id}` template
// (".../status/{job_id}"), which RFC 3986 does not allow in a URI: accept exactly that.
const uri = /^[a-z][a-z0-9+.-]*:\/\/[^\s{}]+$/i;
ajv.addFormat("uri", (value: string) => uri.test(value.replace("{job_id}", "job_id")));
ajv.addSchema({ $id: "spec", components: spec.components });

const validators = new Map<string, ReturnType<typeof ajv.compile> | null>();

function rewrite(schema: unknown): unknown {
  return JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"spec#/components/'));
}

/** The validator of the answer of `operationId` with `status` and `type`, or null when the spec gives no body. */
function validatorFor(operationId: OperationId, status: number, type: string) {
  const key = `${operationId} ${status} ${type}`;
  if (validators.has(key)) return validators.get(key) ?? null;
  const { method, path } = OPERATIONS[operationId];
  const operation = spec.paths[`/v2${path}`][method.toLowerCase()];
  let response = operation.responses[String(status)] ?? operation.responses.default;
  assert.ok(response, `${operationId}: the spec has no answer ${status}`);
  if (response.$ref) response = spec.components.responses[response.$ref.split("/").at(-1)];
  const schema = response.content?.[type]?.schema;
  const validate = schema === undefined ? null : ajv.compile(rewrite(schema) as object);
  validators.set(key, validate);
  return validate;
}

/** One answer of the management API, its body parsed and checked against the spec. */
export interface Answer {
  status: number;
  headers: Headers;
  // deno-lint-ignore no-explicit-any
  body: any;
}

/** An emulator on a fake clock, and a way to call its management API by operationId. */
export function restSetup(options: Omit<EmulatorOptions, "clock"> = {}, clockOptions = {}) {
  const clock = new FakeClock(clockOptions);
  const emulator = createEmulator({ clock, ...options });
  const call = async (
    operationId: OperationId,
    init: {
      params?: Record<string, string>;
      query?: Record<string, string>;
      body?: unknown;
      headers?: Record<string, string>;
    } = {},
  ): Promise<Answer> => {
    const { method, path } = OPERATIONS[operationId];
    const filled = path.replace(
      /\{(\w+)\}/g,
      (_, name) => encodeURIComponent(init.params?.[name] ?? ""),
    );
    const url = new URL(emulator.restUrl + filled);
    for (const [k, v] of Object.entries(init.query ?? {})) url.searchParams.set(k, v);
    const response = await emulator.fetch(url, {
      method,
      headers: {
        authorization: "Bearer test-key",
        ...(init.body !== undefined ? { "content-type": "application/json" } : {}),
        ...init.headers,
      },
      ...(init.body !== undefined
        ? { body: typeof init.body === "string" ? init.body : JSON.stringify(init.body) }
        : {}),
    });
    const type = response.headers.get("content-type") ?? "";
    assert.ok(response.headers.get("x-request-id"), `${operationId}: no x-request-id`);
    if (type === "text/event-stream") {
      return { status: response.status, headers: response.headers, body: response.body };
    }
    const text = await response.text();
    const body = text === "" ? undefined : JSON.parse(text);
    if (response.status === 204) assert.equal(text, "", `${operationId}: a 204 with a body`);
    const validate = validatorFor(operationId, response.status, type || "application/json");
    if (validate) {
      assert.ok(
        validate(body),
        `${operationId} ${response.status} does not match the spec: ${
          JSON.stringify(validate.errors, null, 1)
        }\n${JSON.stringify(body, null, 1)}`,
      );
    } else if (response.status !== 204) {
      assert.fail(`${operationId}: the spec gives no body for ${response.status} ${type}`);
    }
    if (response.status >= 400) assert.equal(type, "application/problem+json");
    return { status: response.status, headers: response.headers, body };
  };
  return {
    clock,
    emulator,
    call,
    async [Symbol.asyncDispose]() {
      await emulator.close();
      clock.dispose();
    },
  };
}

/** A minimal valid body for creating a QUEUE endpoint. */
export function endpointBody(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: "sdxl",
    type: "QUEUE",
    image: "my-org/sdxl-worker:1.0",
    gpu: { pools: ["ADA_24"] },
    scaling: { type: "QUEUE_DELAY", queueDelay: 4 },
    ...extra,
  };
}

/** Reads SSE events from a body until `count` events came (then cancels the body). */
export async function readEvents(
  body: ReadableStream<Uint8Array>,
  count: number,
): Promise<{ id: string; data: { source: string; line: string; ts: string } }[]> {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  const events: { id: string; data: { source: string; line: string; ts: string } }[] = [];
  let buffer = "";
  while (events.length < count) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += value;
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const id = /^id: (.*)$/m.exec(block)?.[1] ?? "";
      const data = /^data: (.*)$/m.exec(block)?.[1] ?? "null";
      events.push({ id, data: JSON.parse(data) });
    }
  }
  await reader.cancel();
  return events;
}
