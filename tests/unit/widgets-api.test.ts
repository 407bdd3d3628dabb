/**
 * The widgets' API client against a real Hearth server (and a small fake host site for
 * token URLs). Requests are counted by wrapping the real fetch, never answered by a fake.
 */
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import {
  fetchCount,
  HearthApiError,
  HearthClient,
  readToken,
  tokenFromUrl,
} from "../../widgets/api.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import { signHostToken } from "../helpers/tokens.ts";

function countingFetch() {
  const calls: { method: string; url: string }[] = [];
  const fetcher: typeof fetch = (input, init) => {
    calls.push({ method: init?.method ?? "GET", url: String(input) });
    return fetch(input, init);
  };
  return { calls, fetcher };
}

describe("widgets API client", () => {
  let app: TestApp;
  let host: Server;
  let hostUrl: string;

  before(async () => {
    app = await startTestApp({ env: { HEARTH_SESSION_TTL: "1m" } });
    // The host site's token endpoint: /member/<sub> answers JSON, /plain/<sub> the bare token
    // as text (like Ghost), /empty an empty 200, anything else 204.
    host = createServer(async (req, res) => {
      const [, kind, sub] = /^\/(member|plain)\/(.+)$/.exec(req.url ?? "") ?? [];
      if (req.url === "/empty") return res.writeHead(200, { "content-type": "text/plain" }).end();
      if (!sub) return res.writeHead(204).end();
      const token = await signHostToken({ sub, name: "Hosted Member" });
      if (kind === "plain") return res.writeHead(200, { "content-type": "text/plain" }).end(token);
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ token }));
    });
    await new Promise<void>((resolve) => host.listen(0, "127.0.0.1", resolve));
    hostUrl = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
  });

  after(async () => {
    await new Promise((resolve) => host.close(resolve));
    await app.close();
  });

  it("exchanges the member token and posts with the session", async () => {
    const members: (string | null)[] = [];
    const client = new HearthClient({
      server: app.url,
      getToken: () => signHostToken({ sub: "client-poster", name: "Cleo Client" }),
      onMemberChange: (member) => members.push(member?.name ?? null),
    });
    const member = await client.signIn();
    assert.equal(member?.name, "Cleo Client");
    assert.deepEqual(members, ["Cleo Client"]);

    const { comment } = await client.postComment(
      "client/posting",
      { body: "Hello from the client", title: "Posting", url: "https://host.example/posting" },
      "key-1",
    );
    assert.equal(comment.author.name, "Cleo Client");
    assert.equal(comment.body, "Hello from the client");

    const again = await client.postComment(
      "client/posting",
      { body: "Hello from the client" },
      "key-1",
    );
    assert.equal(again.comment.id, comment.id, "the same idempotency key posts once");

    const page = await client.listComments("client/posting", { sort: "oldest" });
    assert.equal(page.comments.length, 1);
    assert.equal(page.thread.title, "Posting");
    assert.equal(page.comments[0]?.body, "Hello from the client", "own Markdown comes back");

    const reacted = await client.react(comment.id, "like", true);
    assert.equal(reacted.reactions.like, 1);
    assert.deepEqual(reacted.myReactions, ["like"]);
  });

  it("posts text with a NUL character or half an emoji as the server can store it, not as a refused request", async () => {
    const client = new HearthClient({
      server: app.url,
      getToken: () => signHostToken({ sub: "client-odd-text" }),
    });
    const { comment } = await client.postComment(
      "client/odd-text",
      { body: "pasted\u0000 text \ud83d and a whole \ud83c\udf5e \udc00" },
      "key-odd",
    );
    assert.equal(comment.body, "pasted text \ufffd and a whole 🍞 \ufffd");
    const edited = await client.editComment(comment.id, "edited\u0000 \ud83c\udf5e");
    assert.equal(edited.comment.body, "edited 🍞");
  });

  it("turns error answers into HearthApiError with the server's code", async () => {
    const client = new HearthClient({
      server: app.url,
      getToken: () => signHostToken({ sub: "client-errors" }),
    });
    await assert.rejects(client.listComments("client/nobody-here", { sort: "oldest" }), {
      name: "HearthApiError",
      status: 404,
      code: "thread_not_found",
    });
    await assert.rejects(
      client.postComment("client/errors", { body: "   " }, "key-empty"),
      (error) => {
        assert.ok(error instanceof HearthApiError);
        assert.equal(error.status, 422);
        assert.equal(error.code, "comment_empty");
        assert.ok(error.message.length > 0);
        return true;
      },
    );
  });

  it("refuses to write when signed out, without asking the server", async () => {
    const { calls, fetcher } = countingFetch();
    const client = new HearthClient({
      server: app.url,
      getToken: async () => null,
      fetch: fetcher,
    });
    assert.equal(await client.signIn(), null);
    await assert.rejects(client.postComment("client/anon", { body: "Hi" }, "key-anon"), {
      status: 401,
      code: "unauthenticated",
    });
    assert.deepEqual(calls, []);
  });

  it("renews a session the server no longer accepts once, and retries", async () => {
    let tokensAsked = 0;
    const { calls, fetcher } = countingFetch();
    const client = new HearthClient({
      server: app.url,
      fetch: fetcher,
      getToken: () => {
        tokensAsked++;
        return signHostToken({ sub: "client-renewer", name: "Rene Renew" });
      },
    });
    await client.signIn();
    app.clock.offsetMs = 2 * 60_000; // past the one-minute session
    try {
      const { comment } = await client.postComment("client/renew", { body: "Still here" }, "k");
      assert.equal(comment.author.name, "Rene Renew");
    } finally {
      app.clock.offsetMs = 0;
    }
    assert.equal(tokensAsked, 2);
    assert.deepEqual(
      calls.map((call) => `${call.method} ${new URL(call.url).pathname}`),
      [
        "POST /api/session",
        "POST /api/threads/client%2Frenew/comments",
        "POST /api/session",
        "POST /api/threads/client%2Frenew/comments",
      ],
    );
  });

  it("reads signed out after a refused token, without asking again for every read", async () => {
    const { calls, fetcher } = countingFetch();
    const client = new HearthClient({
      server: app.url,
      fetch: fetcher,
      getToken: () =>
        signHostToken({ sub: "client-refused", secret: "not-the-right-secret-0123456789" }),
    });
    await assert.rejects(client.signIn(), { status: 401, code: "token_invalid" });
    await assert.rejects(client.listComments("client/refused", { sort: "oldest" }), {
      code: "thread_not_found",
    });
    assert.deepEqual(
      calls.map((call) => `${call.method} ${new URL(call.url).pathname}`),
      ["POST /api/session", "GET /api/threads/client%2Frefused/comments"],
    );
    assert.equal(client.member, null);
  });

  it("reads a token URL, where 204 means signed out", async () => {
    assert.equal(await tokenFromUrl(`${hostUrl}/none`)(), null);
    const client = new HearthClient({
      server: app.url,
      getToken: tokenFromUrl(`${hostUrl}/member/client-hosted`),
    });
    assert.equal((await client.signIn())?.name, "Hosted Member");
    client.setTokenSource(tokenFromUrl(`${hostUrl}/none`));
    assert.equal(client.member, null);
    assert.equal(await client.signIn(), null);
  });

  it("reads a token URL that answers the bare token as text, where empty means signed out", async () => {
    const token = await tokenFromUrl(`${hostUrl}/plain/client-plain`)();
    assert.match(token ?? "", /^[\w-]+\.[\w-]+\.[\w-]+$/);
    assert.equal(await tokenFromUrl(`${hostUrl}/empty`)(), null);
    const client = new HearthClient({
      server: app.url,
      getToken: tokenFromUrl(`${hostUrl}/plain/client-plain`),
    });
    assert.equal((await client.signIn())?.name, "Hosted Member");
  });

  it("tells a token from other answers of a token URL", () => {
    assert.equal(readToken("  abc.def.ghi\n"), "abc.def.ghi");
    assert.equal(readToken('{"token":"abc.def.ghi"}'), "abc.def.ghi");
    assert.equal(readToken('"abc.def.ghi"'), "abc.def.ghi");
    assert.equal(readToken('{"token":""}'), null);
    assert.equal(readToken('{"token":null}'), null);
    assert.equal(readToken("{not json"), null);
    assert.equal(readToken("<!doctype html><p>Sign in</p>"), null);
    assert.equal(readToken(""), null);
  });

  it("batches the counts asked for in one task into one request", async () => {
    const { token } = await app.signIn({ sub: "client-counter" });
    for (const [key, n] of [
      ["count/a", 2],
      ["count/b", 1],
    ] as const) {
      for (let i = 0; i < n; i++) {
        const res = await app.request("POST", `/api/threads/${encodeURIComponent(key)}/comments`, {
          token,
          body: { body: `comment ${i}` },
          headers: { "idempotency-key": `${key}-${i}` },
        });
        assert.equal(res.status, 201);
      }
    }
    const { calls, fetcher } = countingFetch();
    const counts = await Promise.all(
      ["count/a", "count/b", "count/none", "count/a"].map((key) =>
        fetchCount(app.url, key, fetcher),
      ),
    );
    assert.deepEqual(counts, [2, 1, 0, 2]);
    assert.equal(calls.length, 1);
    assert.match(calls[0]!.url, /\/api\/counts\?threads=count%2Fa,count%2Fb,count%2Fnone$/);
  });
});
