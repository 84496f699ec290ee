// A worker run by serve_test.ts in its own process: serves on PORT / PORT_HEALTH
// from the environment, prints its ports, and answers /slow only when told to
// (a line on stdin; it prints `slow` when /slow arrives), so that the parent can send SIGTERM with /slow in flight.
import { serve } from "../../worker.ts";

let release: (() => void) | undefined;
const released = new Promise<void>((resolve) => (release = resolve));
const server = await serve(async (request) => {
  if (new URL(request.url).pathname === "/slow") {
    console.log("slow");
    await released;
    return new Response("finished");
  }
  return new Response("fast");
}, { hostname: "127.0.0.1" });
console.log(JSON.stringify({ port: server.port, healthPort: server.healthPort }));
const reader = Deno.stdin.readable.getReader();
await reader.read();
release!();
await server.finished;
reader.releaseLock();
console.log("stopped");
