// `endpoints update --wait-ready`: follows the endpoint's new release until
// its workers run, from /releases (the rollout) and /workers (each worker's
// version and status).
import type { RunpodSdk } from "../mod.ts";
import type { ListEndpointReleasesResponse, ListEndpointWorkersResponse } from "../rest.ts";
import { delay } from "../mod.ts";
import { parseDuration } from "./_args.ts";
import { type Context, type INTERVAL_OPTION, timeoutOf } from "./_context.ts";
import { EXIT } from "./_exit.ts";
import { formatDuration } from "./_output.ts";
import { StatusLine } from "./_status_line.ts";

/** Where a rollout stands. */
export interface RolloutState {
  version: number | undefined;
  ready: boolean;
  /** Workers of the new release that are UNHEALTHY. */
  unhealthy: string[];
  text: string;
}

/**
 * Reads a rollout: ready once RunPod says it is not in progress, every worker
 * runs the latest version, none of them is unhealthy, and at least `min`
 * (the endpoint's `workers.min`) run or idle on it.
 */
export function rolloutState(
  releases: ListEndpointReleasesResponse,
  workers: ListEndpointWorkersResponse,
  min: number,
): RolloutState {
  const version = releases.endpointVersion ?? workers.endpointVersion ??
    releases.releases[0]?.version ?? undefined;
  const latest = (w: ListEndpointWorkersResponse["workers"][number]) =>
    !w.isStale && (w.version === undefined || w.version === null || version === undefined ||
      w.version === version);
  const onLatest = workers.workers.filter(latest);
  const old = workers.workers.length - onLatest.length;
  const up = onLatest.filter((w) => w.status === "RUNNING" || w.status === "IDLE").length;
  const unhealthy = onLatest.filter((w) => w.status === "UNHEALTHY").map((w) => w.id);
  const starting = onLatest.filter((w) => w.status === "INITIALIZING").length;
  const { rollout } = releases;
  const ready = !rollout.inProgress && old === 0 && unhealthy.length === 0 && up >= min;
  const parts = [
    `release v${version ?? "?"}`,
    `${rollout.workersOnLatest}/${rollout.workersTotal} workers on it (${rollout.percentOnLatest}%)`,
    `${up} up`,
  ];
  if (starting > 0) parts.push(`${starting} starting`);
  if (old > 0) parts.push(`${old} on older releases`);
  if (unhealthy.length > 0) parts.push(`${unhealthy.length} unhealthy`);
  if (up < min) parts.push(`waiting for ${min} warm workers`);
  return { version, ready, unhealthy, text: parts.join(" · ") };
}

/** Follows endpoint `id`'s rollout; resolves with the exit code. */
export async function waitReady(
  ctx: Context<typeof INTERVAL_OPTION>,
  runpod: RunpodSdk,
  id: string,
  min: number,
): Promise<number> {
  const { printer } = ctx;
  const started = Date.now();
  const timeout = timeoutOf(ctx);
  const every = parseDuration(ctx.values.interval ?? "2s", "--interval");
  let state: RolloutState | undefined;
  let previous = "";
  let unhealthyPolls = 0;
  const line = printer.live
    ? new StatusLine(printer, () =>
      [
        printer.paint(printer.stderr, "blue", "ROLLING OUT"),
        formatDuration(Date.now() - started),
        state?.text ?? "reading the release",
      ].join(" · "))
    : undefined;
  try {
    while (true) {
      const options = { signal: ctx.stop.signal };
      const [releases, workers] = await Promise.all([
        runpod.endpoints.releases(id, options),
        runpod.endpoints.workers(id, options),
      ]);
      state = rolloutState(releases, workers, min);
      if (!line && state.text !== previous) printer.note(`${id}: ${state.text}`);
      previous = state.text;
      if (state.ready) {
        line?.stop();
        printer.note(
          `Endpoint ${id} is ready on release v${state.version ?? "?"} (${
            formatDuration(Date.now() - started)
          })`,
        );
        return EXIT.ok;
      }
      unhealthyPolls = state.unhealthy.length > 0 ? unhealthyPolls + 1 : 0;
      if (unhealthyPolls >= 2) {
        line?.stop();
        printer.err(
          `Workers of endpoint ${id}'s release v${state.version ?? "?"} are unhealthy (${
            state.unhealthy.join(", ")
          }): read their logs with 'runpod endpoints logs ${id} ${state.unhealthy[0]}'`,
        );
        return EXIT.rollout;
      }
      if (timeout !== undefined && Date.now() - started >= timeout) {
        line?.stop();
        printer.err(
          `Gave up after ${
            formatDuration(timeout)
          } (--timeout): endpoint ${id} is not ready (${state.text}); 'runpod endpoints workers ${id}' shows its workers`,
        );
        return EXIT.timeout;
      }
      await delay(every, { signal: ctx.stop.signal });
    }
  } catch (error) {
    line?.stop();
    if (ctx.stop.stopped) {
      printer.err(
        `Interrupted by ${ctx.stop.what}: the rollout of endpoint ${id} goes on ('runpod endpoints workers ${id}' shows it)`,
      );
      return ctx.stop.code;
    }
    throw error;
  } finally {
    line?.stop();
  }
}
