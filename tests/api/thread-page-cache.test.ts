import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTestApp, type TestApp } from "../helpers/app.ts";

/**
 * A process keeps the pages it served and brings them up to date after its own posts; a
 * second process on the same database with its cache off reads every page afresh. After
 * every post, both must answer every page identically.
 */
describe("cached thread pages after a post", () => {
  let cached: TestApp;
  let fresh: TestApp;
  const env = { HEARTH_POSTS_PER_MINUTE: "0", HEARTH_PAGE_REPLIES: "2" };

  before(async () => {
    cached = await startTestApp({ env: { ...env, HEARTH_CACHE_MS: "60000" } });
    fresh = await startTestApp({
      env: { ...env, HEARTH_CACHE_MS: "0" },
      database: cached.testDatabase,
    });
  });
  after(async () => {
    await fresh.close();
    await cached.close();
  });

  it("match a fresh read of every page, sort and viewer while replies and new comments arrive", async () => {
    const members = [
      await cached.signIn({ name: "Ada" }),
      await cached.signIn({ name: "Bruno" }),
      await cached.signIn({ name: "Chiara" }),
    ];
    const key = "page-cache-1";
    const path = `/api/threads/${key}/comments`;
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const ids: string[] = [];

    /** Every page of every sort as `viewer` (undefined: anonymous) sees it, from both servers. */
    const compareAll = async (viewer: string | undefined, step: number) => {
      for (const sort of ["oldest", "newest", "top"]) {
        let cursor: string | null = null;
        for (let page = 0; page < 4; page++) {
          const query: string = `${path}?sort=${sort}&limit=3${cursor ? `&cursor=${cursor}` : ""}`;
          const [a, b] = await Promise.all([
            cached.request("GET", query, viewer ? { token: viewer } : {}),
            fresh.request("GET", query, viewer ? { token: viewer } : {}),
          ]);
          assert.equal(a.status, b.status, `step ${step}, ${sort} page ${page}`);
          assert.deepEqual(a.body, b.body, `step ${step}, ${sort} page ${page}`);
          cursor = a.body?.nextCursor ?? null;
          if (!cursor) break;
        }
      }
    };

    for (let step = 0; step < 30; step++) {
      const author = members[Math.floor(random() * members.length)]!;
      const parentId =
        ids.length === 0 || random() < 0.3 ? undefined : ids[Math.floor(random() * ids.length)];
      // Read first, so the cached server holds the pages the post has to change.
      await compareAll(author.token, step);
      await compareAll(undefined, step);
      const res = await cached.request("POST", path, {
        token: author.token,
        body: { body: `comment ${step}`, ...(parentId ? { parentId } : {}) },
      });
      assert.equal(res.status, 201);
      ids.push(res.body.comment.id);
      if (step % 9 === 8) {
        // Reactions reorder `top`; they drop the cached pages.
        await cached.request("POST", `/api/comments/${ids[step % ids.length]}/reactions`, {
          token: members[step % 3]!.token,
          body: { kind: "like" },
        });
      }
      await compareAll(author.token, step);
      await compareAll(undefined, step);
    }
  });
});
