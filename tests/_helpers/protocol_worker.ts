// A worker process reduced to its wire: each call is one request of RunPod's
// worker protocol, built from the `RUNPOD_*` variables exactly as
// ../shared/runpod-worker-protocol.md says a worker builds it (runpod-python's
// substitutions, the `&...` it appends, its headers and JSON text bodies), sent
// through `emulator.fetch`. The emulator's own tests drive it, so that they
// check the wire format independently of any worker runtime.
import type { Emulator, WorkerEnv } from "../../testing.ts";

export interface WireAnswer {
  status: number;
  // deno-lint-ignore no-explicit-any
  body: any;
  text: string;
}

export interface ProtocolWorker {
  env: WorkerEnv;
  /** `GET <GET_JOB>&job_in_progress=0|1`. */
  take(inProgress?: boolean, init?: RequestInit): Promise<WireAnswer>;
  /** `GET <GET_JOB with /job-take-batch/>&batch_size=N&job_in_progress=0`. */
  takeBatch(size: number): Promise<WireAnswer>;
  /** `GET <GET_JOB with /job-stop/>`. */
  stops(init?: RequestInit): Promise<WireAnswer>;
  /** `POST <POST_OUTPUT>&isStream=...` with the JSON text of `body`, as runpod-python sends it. */
  done(jobId: string, body: unknown, isStream?: boolean): Promise<WireAnswer>;
  /** `POST <POST_STREAM>&isStream=false` with `{"output": output}`. */
  stream(jobId: string, output: unknown): Promise<WireAnswer>;
  /** `GET <PING>?job_id=...&runpod_version=1.12.0` (params merged into the template's query). */
  ping(jobIds?: string[]): Promise<WireAnswer>;
}

export function protocolWorker(
  emulator: Emulator,
  endpointId: string,
  options: { workerId?: string; key?: string } = {},
): ProtocolWorker {
  const env = emulator.workerEnv(endpointId, {
    ...(options.workerId !== undefined ? { workerId: options.workerId } : {}),
  });
  const podId = env.RUNPOD_POD_ID;
  const key = options.key ?? env.RUNPOD_AI_API_KEY;
  const takeUrl = env.RUNPOD_WEBHOOK_GET_JOB.replace("$ID", podId);
  const doneUrl = env.RUNPOD_WEBHOOK_POST_OUTPUT.replace("$RUNPOD_POD_ID", podId);
  const streamUrl = env.RUNPOD_WEBHOOK_POST_STREAM.replace("$RUNPOD_POD_ID", podId);
  const pingUrl = env.RUNPOD_WEBHOOK_PING.replace("$RUNPOD_POD_ID", podId);
  const send = async (url: string, init: RequestInit = {}): Promise<WireAnswer> => {
    const response = await emulator.fetch(url, {
      ...init,
      headers: { authorization: key, ...(init.headers as Record<string, string> | undefined) },
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON (a 204 has no body)
    }
    return { status: response.status, body, text };
  };
  const post = (url: string, jobId: string, body: unknown) =>
    send(url, {
      method: "POST",
      headers: {
        charset: "utf-8",
        "content-type": "application/x-www-form-urlencoded",
        "x-request-id": jobId,
      },
      body: JSON.stringify(body),
    });
  return {
    env,
    take: (inProgress = false, init = {}) =>
      send(`${takeUrl}&job_in_progress=${inProgress ? 1 : 0}`, init),
    takeBatch: (size) =>
      send(
        `${takeUrl.replace("/job-take/", "/job-take-batch/")}&batch_size=${size}&job_in_progress=0`,
      ),
    stops: (init = {}) => send(takeUrl.replace("/job-take/", "/job-stop/"), init),
    done: (jobId, body, isStream = false) =>
      post(`${doneUrl.replace("$ID", jobId)}&isStream=${isStream}`, jobId, body),
    stream: (jobId, output) =>
      post(`${streamUrl.replace("$ID", jobId)}&isStream=false`, jobId, { output }),
    ping: (jobIds = []) => {
      const url = new URL(pingUrl);
      if (jobIds.length > 0) url.searchParams.set("job_id", jobIds.join(","));
      url.searchParams.set("runpod_version", "1.12.0");
      return send(url.href);
    },
  };
}
