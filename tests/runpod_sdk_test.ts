import assert from "node:assert/strict";
import runpodSdk, { VERSION } from "../mod.ts";
import { setup } from "./_helpers/setup.ts";

Deno.test("runpodSdk() refuses an empty or non-string API key", () => {
  for (const key of ["", "   ", undefined, 42, null]) {
    assert.throws(() => runpodSdk(key as string), TypeError);
  }
  assert.throws(() => runpodSdk("abc\ndef"), /whitespace or control/);
});

Deno.test("runpodSdk() refuses plain http to a host that is not loopback", () => {
  assert.throws(() => runpodSdk("k", { baseUrl: "http://api.example.com/v2" }), /clear text/);
  runpodSdk("k", { baseUrl: "http://127.0.0.1:8000/v2" });
  runpodSdk("k", { baseUrl: "http://localhost:8000/v2" });
  runpodSdk("k", { baseUrl: "http://[::1]:8000/v2" });
  runpodSdk("k", { baseUrl: "http://api.example.com/v2", allowInsecureHttp: true });
  assert.throws(() => runpodSdk("k", { baseUrl: "ftp://x" }), TypeError);
  assert.throws(() => runpodSdk("k", { baseUrl: "not a url" }), TypeError);
  assert.throws(() => runpodSdk("k", { baseUrl: "https://u:p@api.runpod.ai/v2" }), TypeError);
});

Deno.test("runpodSdk() refuses options of the wrong type", () => {
  assert.throws(() => runpodSdk("k", { maxRetries: -1 }), RangeError);
  assert.throws(() => runpodSdk("k", { maxRetries: 1.5 }), RangeError);
  assert.throws(() => runpodSdk("k", { timeout: 0 }), RangeError);
  assert.throws(() => runpodSdk("k", { fetch: "fetch" as unknown as typeof fetch }), TypeError);
  assert.throws(() => runpodSdk("k", { headers: { "x-n": 1 as unknown as string } }), TypeError);
});

Deno.test("requests carry the Bearer key, JSON content type and the SDK's user agent", async () => {
  await using t = setup();
  await t.endpoint.run({ input: 1 });
  const [logged] = t.emulator.requests;
  assert.ok(logged);
  assert.equal(logged.headers["authorization"], "Bearer [redacted]");
  assert.equal(logged.headers["content-type"], "application/json");
  assert.equal(logged.headers["user-agent"], `runpod-sdk-ts/${VERSION}`);
  assert.equal(logged.status, 200);
});

Deno.test("runpodSdk() refuses restUrl set to the job API's URL, and baseUrl to the management API's", () => {
  assert.throws(() => runpodSdk("k", { restUrl: "https://api.runpod.ai/v2" }), {
    name: "TypeError",
    message:
      /restUrl is the other API's URL; the job API \(baseUrl\) is https:\/\/api\.runpod\.ai\/v2 and the management API \(restUrl\) is https:\/\/api\.runpod\.io\/v2/,
  });
  assert.throws(
    () => runpodSdk("k", { baseUrl: "https://api.runpod.io/v2" }),
    /baseUrl is the other API's URL/,
  );
});

Deno.test("every request accepts application/problem+json, RunPod's error format, besides JSON", async () => {
  const accepted: (string | null)[] = [];
  const fetch = (input: Request | URL | string, init?: RequestInit) => {
    accepted.push(new Request(input, init).headers.get("accept"));
    return Promise.resolve(Response.json({ endpoints: [] }));
  };
  const runpod = runpodSdk("k", { fetch });
  await runpod.endpoints.list();
  assert.deepEqual(accepted, ["application/json, application/problem+json"]);
});
