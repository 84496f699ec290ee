import { json } from "../../_http.ts";
import { waitFor } from "../_context.ts";
import { WORKER_HOLD, type WorkerContext } from "./_context.ts";

/**
 * `GET /job-stop/{workerId}`: the stop channel. Answers
 * `{"jobsToStop": [ids]}` with the jobs RunPod stopped (cancelled, timed
 * out, expired) while the worker held them, each told once; with none, the
 * poll is held until one comes or `WORKER_HOLD` passes (then 204).
 */
export async function stop(context: WorkerContext): Promise<Response> {
  const { state, endpointId, workerId, signal } = context;
  const deadline = state.clock.now() + WORKER_HOLD;
  while (true) {
    const stops = state.workers.takeStops(endpointId, workerId);
    if (stops.length > 0) return json({ jobsToStop: stops });
    const left = deadline - state.clock.now();
    if (left <= 0 || signal.aborted) return new Response(null, { status: 204 });
    const { waiters } = state.workers.get(endpointId, workerId);
    await waitFor(signal, state.timers, left, (wake) => {
      waiters.add(wake);
      return () => waiters.delete(wake);
    });
  }
}
