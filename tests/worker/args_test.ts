import assert from "node:assert/strict";
import { parseArgs } from "../../src/worker/_args.ts";

Deno.test("the worker's options in this SDK's spelling and runpod-python's, with a space or =", () => {
  assert.deepEqual(parseArgs(["--test-input", '{"input":1}']), {
    serveApi: false,
    testInput: '{"input":1}',
  });
  assert.deepEqual(parseArgs(['--test_input={"input":2}', "--rp_log_level", "DEBUG"]), {
    serveApi: false,
    testInput: '{"input":2}',
    logLevel: "DEBUG",
  });
  assert.deepEqual(
    parseArgs(["--rp_serve_api", "--rp_api_port", "8010", "--rp_api_host=0.0.0.0"]),
    {
      serveApi: true,
      port: 8010,
      host: "0.0.0.0",
    },
  );
  assert.deepEqual(parseArgs(["--serve-api", "--port=0", "--other", "x"]), {
    serveApi: true,
    port: 0,
  });
});

Deno.test("a port that is not a port number is ignored", () => {
  assert.deepEqual(parseArgs(["--port", "http"]), { serveApi: false });
  assert.deepEqual(parseArgs(["--port", "70000"]), { serveApi: false });
});
