// The job API (baseUrl) and the management API (restUrl) are two hosts:
// one given for the other is refused, and REST calls accept problem answers.
import assert from "node:assert/strict";
import runpodSdk from "../../mod.ts";

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
