// What each feature on the job path costs an app that only runs jobs: the
// sources are copied, one feature is cut out of the copy by a few literal
// replacements, and the same jobs app is bundled from the copy. A cut is a
// measurement device, never a build: its copy is not type-checked or run.
// When the code moves on and a replacement no longer finds its text, the
// feature is reported as stale rather than measured wrong.

/** One literal replacement in a file of the copy: `find`, or from `find` up to `until`. */
interface Cut {
  file: string;
  find: string;
  until?: string;
  replace: string;
}

/** A feature of the jobs app and how to cut it out of a copy of the sources. */
export interface Feature {
  name: string;
  cuts: Cut[];
}

/** The features measured, each cut alone, then all of them together. */
export const FEATURES: Feature[] = [
  {
    name: "pacing (on by default: `_pacer.ts` and the `pacing` option's checks)",
    cuts: [
      {
        file: "src/runpod_sdk.ts",
        find: 'import { checkPacing, makePacer } from "./_pacer.ts";',
        replace: "",
      },
      {
        file: "src/runpod_sdk.ts",
        find: "const pacing = checkPacing(options.pacing);",
        replace: "const pacing = false;",
      },
      {
        file: "src/runpod_sdk.ts",
        find: "...(pacing === false ? {} : { pacer: makePacer(clock, pacing) }),",
        replace: "",
      },
    ],
  },
  {
    name: "the management API's getters (`runpod.endpoints`, `.pods`... and `rest/_lazy.ts`)",
    cuts: [
      {
        file: "src/runpod_sdk.ts",
        find: 'import { lazyResource } from "./rest/_lazy.ts";',
        replace: "",
      },
      {
        file: "src/runpod_sdk.ts",
        find:
          "  // ---------------------------------------------------------------- management API",
        until: "\n}\n",
        replace: "",
      },
    ],
  },
  {
    name: "`endpoint.batches` (the `BatchJobs` class that loads Batch Jobs on first use)",
    cuts: [
      {
        file: "src/endpoint.ts",
        find: "return this.#batches ??= new BatchJobs<I, O>(this);",
        replace: "return undefined as never;",
      },
      {
        file: "src/endpoint.ts",
        find: 'import { BatchJobs } from "./batches.ts";',
        replace: 'import type { BatchJobs } from "./batches.ts";',
      },
    ],
  },
  {
    name: "`endpoint.runMany` (its argument checks; the engine loads on first use)",
    cuts: [
      {
        file: "src/endpoint.ts",
        find:
          "const checked = checkMany<I, O>(`run many jobs on endpoint '${this.id}'`, requests, options);",
        replace: "const checked = { requests, opts: options ?? {} };",
      },
    ],
  },
  {
    name:
      "`runpod.loadBalancer` (the `LoadBalancer` class, `loadBalancerUrl`, `WorkerUnavailableError`; its engine loads on first use)",
    cuts: [
      {
        file: "src/runpod_sdk.ts",
        find: 'import { LoadBalancer } from "./load_balancer/load_balancer.ts";',
        replace: "",
      },
      {
        file: "src/runpod_sdk.ts",
        find: "  loadBalancer(endpointId: string | { id: string }",
        until: "\n  }\n",
        replace: "  _cut() {",
      },
      {
        file: "src/runpod_sdk.ts",
        find: "const loadBalancerUrl = checkLoadBalancerUrl(",
        until: ");",
        replace: "const loadBalancerUrl = String(",
      },
      {
        file: "mod.ts",
        find:
          'export { type NoWorkerReason, WorkerUnavailableError } from "./src/load_balancer/errors.ts";',
        replace: "",
      },
      {
        file: "mod.ts",
        find: 'export { LoadBalancer } from "./src/load_balancer/load_balancer.ts";',
        replace: "",
      },
    ],
  },
  {
    name:
      "`JobError`, `StreamGapError` and `parseWorkerError` (public, thrown only by the lazily loaded `/stream` engine)",
    cuts: [
      {
        file: "src/errors.ts",
        find: "export class JobError extends RunpodError {",
        until: "/** The body's own error text",
        replace:
          "export class JobError extends RunpodError {}\nexport class StreamGapError extends RunpodError {}\nexport function parseWorkerError(_: unknown) {}\n",
      },
    ],
  },
];

/** A feature's figure: the jobs app without it, or why it could not be cut. */
export interface FeatureSize {
  name: string;
  /** The jobs app's eager chunks without the feature, minified and gzipped. */
  without?: { min: number; gz: number };
  /** The replacement that no longer finds its text. */
  stale?: string;
}

/**
 * Measures the jobs app without each feature, and without all of them.
 *
 * @param root The repository root (its `mod.ts` and `src/` are copied).
 * @param tmp A scratch directory.
 * @param measure Bundles the jobs app from a copy: `measure(copyRoot, name)`.
 */
export async function sizeByFeature(
  root: string,
  tmp: string,
  measure: (sources: string, name: string) => Promise<{ min: number; gz: number }>,
): Promise<FeatureSize[]> {
  const all: Feature = { name: "all of the above", cuts: FEATURES.flatMap((f) => f.cuts) };
  const out: FeatureSize[] = [];
  for (const [i, feature] of [...FEATURES, all].entries()) {
    const copy = `${tmp}/cut-${i}`;
    await Deno.remove(copy, { recursive: true }).catch(() => {});
    await copyTree(`${root}/src`, `${copy}/src`);
    await Deno.copyFile(`${root}/mod.ts`, `${copy}/mod.ts`);
    let stale: string | undefined;
    for (const cut of feature.cuts) {
      const path = `${copy}/${cut.file}`;
      const text = await Deno.readTextFile(path);
      const start = text.indexOf(cut.find);
      const end = cut.until === undefined
        ? start + cut.find.length
        : text.indexOf(cut.until, start + cut.find.length);
      if (start < 0 || end < 0) {
        stale = `${cut.file}: ${start < 0 ? cut.find : cut.until}`;
        break;
      }
      await Deno.writeTextFile(path, text.slice(0, start) + cut.replace + text.slice(end));
    }
    out.push(
      stale
        ? { name: feature.name, stale }
        : { name: feature.name, without: await measure(copy, `cut-${i}-app`) },
    );
  }
  return out;
}

async function copyTree(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    if (entry.isDirectory) await copyTree(`${from}/${entry.name}`, `${to}/${entry.name}`);
    else if (entry.isFile) await Deno.copyFile(`${from}/${entry.name}`, `${to}/${entry.name}`);
  }
}
