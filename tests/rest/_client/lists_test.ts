// list() and pages() work whether or not the server pages.
import assert from "node:assert/strict";
import { assertRejects } from "../../_helpers/assert_rejects.ts";
import { RunpodError } from "../../../mod.ts";
import { json, stub } from "../_stub.ts";

Deno.test("list() takes the one answer of a server that does not page", async () => {
  using s = stub(() => json({ templates: [{ id: "t1" }, { id: "t2" }] }));
  const templates = await s.runpod.templates.list();
  assert.deepEqual(templates.map((t) => t.id), ["t1", "t2"]);
  assert.equal(s.calls.length, 1);
  assert.equal(s.calls[0]!.url.search, "");
});

Deno.test("list() follows pagination.nextCursor and resolves with every item", async () => {
  const pages: Record<string, unknown> = {
    "": { pods: [{ id: "p1" }, { id: "p2" }], pagination: { hasNextPage: true, nextCursor: "c2" } },
    c2: { pods: [{ id: "p3" }], pagination: { hasNextPage: true, nextCursor: "c3" } },
    c3: { pods: [{ id: "p4" }], pagination: { hasNextPage: false, nextCursor: null } },
  };
  using s = stub((call) => json(pages[call.url.searchParams.get("cursor") ?? ""]));
  const pods = await s.runpod.pods.list({ limit: 2 });
  assert.deepEqual(pods.map((p) => p.id), ["p1", "p2", "p3", "p4"]);
  assert.deepEqual(s.calls.map((c) => c.url.search), [
    "?limit=2",
    "?limit=2&cursor=c2",
    "?limit=2&cursor=c3",
  ]);
});

Deno.test("pages() yields page by page and asks for the next page only when read", async () => {
  using s = stub((call) =>
    call.url.searchParams.get("cursor") === "c2"
      ? json({ networkVolumes: [{ id: "v2" }] })
      : json({ networkVolumes: [{ id: "v1" }], pagination: { nextCursor: "c2" } })
  );
  const iterator = s.runpod.networkVolumes.pages();
  const first = await iterator.next();
  assert.deepEqual(first.value, [{ id: "v1" }]);
  assert.equal(s.calls.length, 1);
  const second = await iterator.next();
  assert.deepEqual(second.value, [{ id: "v2" }]);
  assert.equal((await iterator.next()).done, true);
  assert.equal(s.calls.length, 2);
});

Deno.test("a server that sends the same cursor twice gets an error, not an endless loop", async () => {
  using s = stub(() => json({ endpoints: [{ id: "e" }], pagination: { nextCursor: "same" } }));
  await assertRejects(s.runpod.endpoints.list(), RunpodError, "cursor 'same' twice");
  assert.equal(s.calls.length, 2);
});

Deno.test("breaking out of pages() sends no further request", async () => {
  using s = stub(() =>
    json({ registries: [{ id: "r" }], pagination: { nextCursor: `c${Math.random()}` } })
  );
  for await (const page of s.runpod.registries.pages()) {
    assert.equal(page.length, 1);
    break;
  }
  assert.equal(s.calls.length, 1);
});
