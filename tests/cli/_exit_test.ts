// How an error becomes the command's message and exit code.
import assert from "node:assert/strict";
import { RunpodApiError } from "../../mod.ts";
import { describeFailure, EXIT } from "../../cli/_exit.ts";

const notFound = (route: string, jobId?: string) =>
  new RunpodApiError({
    status: 404,
    body: { error: "not found" },
    headers: new Headers(),
    route,
    ...(jobId ? { jobId } : {}),
  });

Deno.test("a 404 of the job API says which id to check", () => {
  const endpoint = describeFailure(notFound("GET /health"), false);
  assert.equal(endpoint.code, EXIT.api);
  assert.match(endpoint.message, /\nCheck the endpoint id: the RunPod console shows it\.$/);
  const job = describeFailure(notFound("GET /status", "job-1"), false);
  assert.match(
    job.message,
    /\nA job id belongs to one endpoint: check the ENDPOINT in ENDPOINT\/JOB/,
  );
});

Deno.test("a 404 of the management API gets no endpoint-id hint: its message names what is missing", () => {
  const { message, code } = describeFailure(notFound("POST /serverless"), false);
  assert.equal(code, EXIT.api);
  assert.doesNotMatch(message, /endpoint id/);
  assert.doesNotMatch(message, /\n/);
});
