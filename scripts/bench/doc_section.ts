// Sections of docs/benchmarks.md written by a script other than scripts/bench.ts
// (scripts/bench/fake_clock.ts, scripts/load.ts), each between the markers
// `<!-- begin NAME -->` and `<!-- end NAME -->`. Each script rewrites its own
// section only, and scripts/bench.ts keeps them all when it rewrites the rest.

const SECTION = /<!-- begin ([a-z0-9-]+) -->\n[\s\S]*?<!-- end \1 -->\n/g;

/** Every marked section of `text`, markers included, in order. */
export function docSections(text: string): string[] {
  return [...text.matchAll(SECTION)].map((match) => match[0]);
}

/** Replaces (or appends) the section `name` of the file with `markdown`. */
export async function writeDocSection(file: URL, name: string, markdown: string): Promise<void> {
  const text = await Deno.readTextFile(file).catch(() => "");
  const section = `<!-- begin ${name} -->\n${markdown.trimEnd()}\n<!-- end ${name} -->\n`;
  const start = text.indexOf(`<!-- begin ${name} -->\n`);
  const endMarker = `<!-- end ${name} -->\n`;
  const end = start < 0 ? -1 : text.indexOf(endMarker, start);
  const next = start >= 0 && end >= 0
    ? text.slice(0, start) + section + text.slice(end + endMarker.length)
    : `${text.trimEnd()}\n\n${section}`;
  await Deno.writeTextFile(file, next);
}
