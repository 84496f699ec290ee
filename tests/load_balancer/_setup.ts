// Shared set-up of the load-balancing tests: an emulator with one
// load-balancing endpoint "lb" on a FakeClock, its worker a handler that
// counts what reaches it, and a client wired to it by `emulator.fetch`.
import runpodSdk, {
  type ClientOptions,
  type LoadBalancer,
  type LoadBalancerOptions,
} from "../../mod.ts";
import {
  createEmulator,
  type Emulator,
  type EmulatorEndpoint,
  FakeClock,
  type LoadBalancerEmulatorOptions,
  type LoadBalancerHandler,
} from "../../testing.ts";

export interface LbSetup extends AsyncDisposable {
  clock: FakeClock;
  emulator: Emulator;
  lb: LoadBalancer;
  /** The requests that reached the worker's server (health checks apart): method and path. */
  reached: string[];
}

/** The worker used unless a test gives its own: `/ping` 200, anything else echoes its method and path. */
export const okWorker: LoadBalancerHandler = async (request) => {
  const url = new URL(request.url);
  if (url.pathname === "/ping") return new Response(null, { status: 200 });
  return Response.json({ method: request.method, path: url.pathname, body: await request.text() });
};

export function lbSetup(
  options: {
    handler?: LoadBalancerHandler;
    endpoint?: Omit<EmulatorEndpoint, "id" | "type">;
    emulator?: Omit<LoadBalancerEmulatorOptions, "handler">;
    lb?: LoadBalancerOptions;
    client?: ClientOptions;
    autoAdvance?: boolean;
  } = {},
): LbSetup {
  const clock = new FakeClock({ start: 0, autoAdvance: options.autoAdvance ?? true });
  const reached: string[] = [];
  const handler = options.handler ?? okWorker;
  const emulator = createEmulator({
    clock,
    endpoints: [{ id: "lb", type: "LOAD_BALANCER", ...options.endpoint }],
    loadBalancer: {
      ...options.emulator,
      handler: (request) => {
        const url = new URL(request.url);
        if (url.pathname !== "/ping") reached.push(`${request.method} ${url.pathname}`);
        return handler(request);
      },
    },
  });
  const lb = runpodSdk("test-key", { fetch: emulator.fetch, clock, ...options.client })
    .loadBalancer("lb", options.lb);
  return {
    clock,
    emulator,
    lb,
    reached,
    async [Symbol.asyncDispose]() {
      await emulator.close();
      clock.dispose();
    },
  };
}
