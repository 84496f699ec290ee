// The worker's command-line options (local mode), in this SDK's spelling and runpod-python's.

/** What the command line asks for. */
export interface WorkerArgs {
  /** `--test-input JSON` / `--test_input JSON`. */
  testInput?: string;
  /** `--serve-api` / `--rp_serve_api`. */
  serveApi: boolean;
  /** `--port N` / `--rp_api_port N`. */
  port?: number;
  /** `--host H` / `--rp_api_host H`. */
  host?: string;
  /** `--rp_log_level LEVEL` / `--log-level LEVEL`. */
  logLevel?: string;
}

/** Reads the options; unknown arguments are left to the user's program. */
export function parseArgs(args: string[]): WorkerArgs {
  const parsed: WorkerArgs = { serveApi: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const eq = arg.indexOf("=");
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const value = () => (eq > 0 ? arg.slice(eq + 1) : args[++i]);
    switch (name) {
      case "--test-input":
      case "--test_input": {
        const text = value();
        if (text !== undefined) parsed.testInput = text;
        break;
      }
      case "--serve-api":
      case "--rp_serve_api":
        parsed.serveApi = true;
        break;
      case "--port":
      case "--rp_api_port": {
        const port = Number(value());
        if (Number.isInteger(port) && port >= 0 && port < 65536) parsed.port = port;
        break;
      }
      case "--host":
      case "--rp_api_host": {
        const host = value();
        if (host !== undefined && host !== "") parsed.host = host;
        break;
      }
      case "--log-level":
      case "--rp_log_level": {
        const level = value();
        if (level !== undefined) parsed.logLevel = level;
        break;
      }
    }
  }
  return parsed;
}
