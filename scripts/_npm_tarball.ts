// The npm tarball that scripts/build_npm.ts packs into .tmp/, and whether it
// is newer than every file it is built from: the files deno.json publishes
// (its `publish.include`, a glob read as its folder) and the build script.
// The runtime matrix, the CLI's Node tests and the docs' Node examples share
// this one check, so that a new entry or folder cannot leave one of them
// testing a stale package.

const root = decodeURIComponent(new URL("../", import.meta.url).pathname);

/** The tarball's path: `.tmp/runpod-sdk-<version>.tgz` in the repository. */
export async function tarballPath(): Promise<string> {
  const config = JSON.parse(await Deno.readTextFile(`${root}deno.json`));
  return `${root}.tmp/runpod-sdk-${config.version}.tgz`;
}

/** Whether the tarball exists and is newer than every file the npm build reads. */
export async function tarballIsFresh(): Promise<boolean> {
  const built = await Deno.stat(await tarballPath()).then(
    (info) => info.mtime?.getTime() ?? 0,
    () => 0,
  );
  if (built === 0) return false;
  const config = JSON.parse(await Deno.readTextFile(`${root}deno.json`));
  const include: string[] = config.publish?.include ?? [];
  const sources = [...include.map((path) => path.replace(/\/\*\*.*$/, "")), "scripts/build_npm.ts"];
  for (const source of sources) {
    if (await newest(`${root}${source}`) >= built) return false;
  }
  return true;
}

/** The newest modification time of a file, or of every file below a folder. */
async function newest(path: string): Promise<number> {
  const info = await Deno.stat(path);
  if (!info.isDirectory) return info.mtime?.getTime() ?? Infinity;
  let latest = 0;
  for await (const entry of Deno.readDir(path)) {
    latest = Math.max(latest, await newest(`${path}/${entry.name}`));
  }
  return latest;
}
