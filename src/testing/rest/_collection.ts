import { problem } from "./_problem.ts";

/** A resource kept by the management API emulator, in creation order. */
export class Collection<T extends { id: string }> {
  #items = new Map<string, { seq: number; value: T }>();
  #seq = 0;

  /** Adds (or replaces) a resource. */
  set(value: T): T {
    const known = this.#items.get(value.id);
    this.#items.set(value.id, { seq: known?.seq ?? this.#seq++, value });
    return value;
  }

  /** The resource `id`, if it exists. */
  get(id: string): T | undefined {
    return this.#items.get(id)?.value;
  }

  /** Removes the resource `id`; whether it existed. */
  delete(id: string): boolean {
    return this.#items.delete(id);
  }

  /** Every resource, oldest first. */
  all(): T[] {
    return [...this.#items.values()].map((item) => item.value);
  }

  /** A fresh id that no resource of this collection has. */
  newId(prefix = "", length = 14): string {
    for (;;) {
      const id = prefix + randomId(length);
      if (!this.#items.has(id)) return id;
    }
  }

  /** The creation sequence number of a resource (for cursors). */
  seqOf(id: string): number | undefined {
    return this.#items.get(id)?.seq;
  }
}

const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

/** A random id of lower-case letters and digits, as RunPod's ids look. */
export function randomId(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let id = "";
  for (const byte of bytes) id += ALPHABET[byte % ALPHABET.length];
  return id;
}

/** A list answer: `{[key]: items}`, paged only when the query asks (`limit` or `cursor`). */
export function listAnswer<T>(
  url: URL,
  key: string,
  items: T[],
  seqOf: (item: T) => number,
): Record<string, unknown> | Response {
  const limitText = url.searchParams.get("limit");
  const cursor = url.searchParams.get("cursor");
  if (limitText === null && cursor === null) return { [key]: items };
  let limit = 100;
  if (limitText !== null) {
    limit = Number(limitText);
    if (!/^\d+$/.test(limitText) || limit < 1 || limit > 1000) {
      return problem(422, "Request validation failed.", {
        errors: [`query.limit: expected an integer from 1 to 1000, received '${limitText}'`],
      });
    }
  }
  let after = -1;
  if (cursor !== null) {
    const decoded = decodeCursor(cursor);
    if (decoded === undefined) {
      return problem(400, `Invalid cursor '${cursor}': pass the nextCursor of a previous page`);
    }
    after = decoded;
  }
  const rest = items.filter((item) => seqOf(item) > after);
  const page = rest.slice(0, limit);
  const hasNextPage = rest.length > page.length;
  const last = page.at(-1);
  return {
    [key]: page,
    pagination: {
      hasNextPage,
      nextCursor: hasNextPage && last !== undefined ? encodeCursor(seqOf(last)) : null,
    },
  };
}

function encodeCursor(seq: number): string {
  return btoa(`after:${seq}`).replaceAll("=", "");
}

function decodeCursor(cursor: string): number | undefined {
  try {
    const match = /^after:(\d+)$/.exec(atob(cursor));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}
