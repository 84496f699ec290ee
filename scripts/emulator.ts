// Serves the RunPod emulator alone on a loopback port, for trying the API
// with curl or another client:
//
//   deno task emulator            (PORT=8123 deno task emulator for a fixed port)
//   curl -H 'Authorization: Bearer test-key' -d '{"input":{"hi":1}}' \
//     http://127.0.0.1:8123/v2/test-endpoint/runsync
//
// The worker echoes its input; an input {"sleep": MS} makes it wait first, and
// {"stream": N} makes it yield N items, one every 500 ms. Ctrl-C stops it.
// A `drop` fault, served with Deno.serve, sends the answer's head and then
// resets the connection (Deno.serve cannot close a connection before the head).
import { createEmulator, type WorkerJob } from "../testing.ts";

const port = Number(Deno.env.get("PORT") ?? 0);
const apiKey = Deno.env.get("EMULATOR_API_KEY") ?? "test-key";
const endpoint = Deno.env.get("EMULATOR_ENDPOINT") ?? "test-endpoint";

function worker(job: WorkerJob) {
  const input = job.input as { sleep?: number; stream?: number } | null;
  if (typeof input?.stream === "number") return items(job, input.stream);
  return sleepThenEcho(job, typeof input?.sleep === "number" ? input.sleep : 0);
}

async function sleepThenEcho(job: WorkerJob, ms: number) {
  await job.sleep(ms);
  return job.input;
}

async function* items(job: WorkerJob, count: number) {
  for (let i = 1; i <= count; i++) {
    await job.sleep(500);
    yield { item: i, of: count };
  }
}

const emulator = createEmulator({ apiKey, endpoints: [endpoint], worker });
const server = Deno.serve({ hostname: "127.0.0.1", port, onListen() {} }, emulator.handler);
console.log(
  `Emulator listening on http://127.0.0.1:${server.addr.port}/v2 (endpoint ${endpoint}, key ${apiKey})`,
);
console.log(`Management API (REST v2) at http://127.0.0.1:${server.addr.port}/rest/v2`);

const stop = async () => {
  await server.shutdown();
  await emulator.close();
  Deno.exit(0);
};
Deno.addSignalListener("SIGINT", stop);
if (Deno.build.os !== "windows") Deno.addSignalListener("SIGTERM", stop);
await server.finished;
