/**
 * The widgets' sign-in through the host's own session (`HostSession`): against a real host
 * site (Express) that mounts Hearth with `getMember`, and against a standalone server that
 * has no `getMember`. The browser's cookie jar is played by a fetch wrapper that adds the
 * host's cookie to the real request; nothing is answered by a fake.
 */
import assert from "node:assert/strict";
import type { Server } from "node:http";
import { after, before, describe, it } from "node:test";
import express from "express";
import { createHearth } from "../../server/index.ts";
import { HearthApiError, HearthClient, HostSession } from "../../widgets/api.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import { freePort } from "../helpers/smtp.ts";
import { TEST_SSO_SECRET } from "../helpers/tokens.ts";

interface Call {
  method: string;
  path: string;
  body: string | null;
  credentials: RequestCredentials | undefined;
}

/** The real fetch, recording each request, with the host's cookie and headers added. */
function browserFetch(extra: { cookie?: string; headers?: Record<string, string> } = {}) {
  const calls: Call[] = [];
  const fetcher: typeof fetch = (input, init) => {
    calls.push({
      method: init?.method ?? "GET",
      path: new URL(String(input)).pathname,
      body: typeof init?.body === "string" ? init.body : null,
      credentials: init?.credentials,
    });
    const headers = new Headers(init?.headers);
    if (extra.cookie) headers.set("cookie", extra.cookie);
    for (const [name, value] of Object.entries(extra.headers ?? {})) headers.set(name, value);
    return fetch(input, { ...init, headers });
  };
  return { calls, fetcher };
}

const sessionCalls = (calls: Call[]) =>
  calls.filter((call) => call.method === "POST" && call.path.endsWith("/api/session"));

describe("widgets API client: the host's own sign-in", () => {
  let site: Server;
  let siteUrl: string;
  let hearth: Awaited<ReturnType<typeof createHearth>>;
  let standalone: TestApp;
  /** Who the host says is signed in, by the `member` cookie. */
  const people: Record<string, { name: string; email: string }> = {
    ada: { name: "Ada Host", email: "ada@host.example" },
    bo: { name: "Bo Host", email: "bo@host.example" },
  };

  before(async () => {
    const port = await freePort();
    siteUrl = `http://127.0.0.1:${port}`;
    hearth = await createHearth({
      env: {
        HEARTH_DATA_DIR: "memory://",
        HEARTH_SSO_SECRET: TEST_SSO_SECRET,
        HEARTH_LOG_LEVEL: "silent",
        HEARTH_DEMO: "0",
        HEARTH_PUBLIC_URL: `${siteUrl}/community`,
      },
      getMember(req) {
        const sub = /(?:^|;\s*)member=([a-z]+)/.exec(req.headers.cookie ?? "")?.[1];
        const person = sub ? people[sub] : undefined;
        return sub && person ? { sub, ...person } : null;
      },
    });
    const app = express();
    app.use("/community", hearth.router);
    await new Promise<void>((resolve) => {
      site = app.listen(port, "127.0.0.1", () => resolve());
    });
    standalone = await startTestApp();
  });

  after(async () => {
    await new Promise((resolve) => site.close(resolve));
    await hearth.close();
    await standalone.close();
  });

  it("signs in the member the host's session names, asking once for every widget that shares it", async () => {
    const { calls, fetcher } = browserFetch({ cookie: "member=ada" });
    const hostSession = new HostSession(`${siteUrl}/community`, fetcher);
    const thread = new HearthClient({
      server: `${siteUrl}/community`,
      hostSession,
      fetch: fetcher,
    });
    const bell = new HearthClient({ server: `${siteUrl}/community`, hostSession, fetch: fetcher });

    const [first, second] = await Promise.all([thread.signIn(), bell.signIn()]);
    assert.equal(first?.name, "Ada Host");
    assert.equal(second?.id, first?.id);
    assert.equal(await thread.signIn().then((member) => member?.name), "Ada Host");
    assert.deepEqual(sessionCalls(calls), [
      { method: "POST", path: "/community/api/session", body: "{}", credentials: "same-origin" },
    ]);

    const { comment } = await thread.postComment(
      "host/signed-in",
      { body: "Signed in by the host" },
      "host-1",
    );
    assert.equal(comment.author.name, "Ada Host");
    const page = await bell.listComments("host/signed-in", { sort: "oldest" });
    assert.equal(page.comments[0]?.canEdit, true, "the second widget holds the same session");
  });

  it("stays signed out without an error when the host says nobody is signed in (401)", async () => {
    const { calls, fetcher } = browserFetch();
    const hostSession = new HostSession(`${siteUrl}/community`, fetcher);
    const client = new HearthClient({
      server: `${siteUrl}/community`,
      hostSession,
      fetch: fetcher,
    });
    const members: (string | null)[] = [];
    const other = new HearthClient({
      server: `${siteUrl}/community`,
      hostSession,
      fetch: fetcher,
      onMemberChange: (member) => members.push(member?.name ?? null),
    });

    assert.equal(await client.signIn(), null);
    assert.equal(await other.signIn(), null);
    assert.deepEqual(members, [], "nobody was signed in, so nothing changed");
    await assert.rejects(client.postComment("host/anon", { body: "Hi" }, "anon-1"), {
      status: 401,
      code: "unauthenticated",
    });
    await assert.rejects(client.listComments("host/anon", { sort: "oldest" }), {
      code: "thread_not_found",
    });
    assert.equal(sessionCalls(calls).length, 1, "the answer holds for the page");
  });

  it("stays signed out when the server refuses a cross-site request (403)", async () => {
    const { calls, fetcher } = browserFetch({
      cookie: "member=ada",
      headers: { "sec-fetch-site": "cross-site", origin: "https://elsewhere.example" },
    });
    const hostSession = new HostSession(`${siteUrl}/community`, fetcher);
    const client = new HearthClient({
      server: `${siteUrl}/community`,
      hostSession,
      fetch: fetcher,
    });
    assert.equal(await client.signIn(), null);
    assert.equal(client.member, null);
    assert.equal(sessionCalls(calls).length, 1);
  });

  it("stays signed out on a server without getMember (400)", async () => {
    const { calls, fetcher } = browserFetch({ cookie: "member=ada" });
    const hostSession = new HostSession(standalone.url, fetcher);
    const client = new HearthClient({ server: standalone.url, hostSession, fetch: fetcher });
    assert.equal(await client.signIn(), null);
    assert.equal(await client.signIn(), null);
    assert.equal(sessionCalls(calls).length, 1);
  });

  it("asks the host again only for a session that was spent", async () => {
    const { calls, fetcher } = browserFetch({ cookie: "member=bo" });
    const hostSession = new HostSession(`${siteUrl}/community`, fetcher);
    const first = await hostSession.get();
    assert.equal(first?.member.name, "Bo Host");
    assert.equal(await hostSession.get(), first, "a fresh answer is kept");

    const [renewed, sharedRenewal] = await Promise.all([
      hostSession.get(first?.session),
      hostSession.get(first?.session),
    ]);
    assert.equal(renewed?.member.name, "Bo Host");
    assert.notEqual(renewed, first, "asked again");
    assert.equal(sharedRenewal, renewed, "two widgets with the spent session share one renewal");
    assert.equal(await hostSession.get(first?.session), renewed);
    assert.equal(sessionCalls(calls).length, 2);
  });

  it("does not keep a failure: the next sign-in asks again", async () => {
    const port = await freePort();
    const { calls, fetcher } = browserFetch();
    const hostSession = new HostSession(`http://127.0.0.1:${port}/community`, fetcher);
    const client = new HearthClient({
      server: `http://127.0.0.1:${port}/community`,
      hostSession,
      fetch: fetcher,
    });
    await assert.rejects(client.signIn(), (error) => {
      assert.ok(error instanceof HearthApiError);
      assert.equal(error.code, "network_error");
      return true;
    });
    await assert.rejects(hostSession.get(), { code: "network_error" });
    assert.equal(sessionCalls(calls).length, 2);
  });

  it("prefers a token source to the host's session", async () => {
    const { calls, fetcher } = browserFetch({ cookie: "member=ada" });
    const hostSession = new HostSession(`${siteUrl}/community`, fetcher);
    const client = new HearthClient({
      server: `${siteUrl}/community`,
      hostSession,
      getToken: async () => null,
      fetch: fetcher,
    });
    assert.equal(await client.signIn(), null);
    assert.deepEqual(sessionCalls(calls), []);
  });
});
