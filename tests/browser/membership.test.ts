/**
 * The thread on a membership site that lives on another origin than Hearth: the member token
 * comes from the site's own token URL (as plain text, like Ghost's), sessions are renewed
 * through the host, and members whose tier does not include a thread see the upgrade panel.
 */
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, beforeEach, describe, it } from "node:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import { signHostToken } from "../helpers/tokens.ts";
import {
  assertAccessible,
  ensureBundle,
  eventually,
  launchChromium,
  skipWithoutChromium,
} from "./support.ts";

const API_KEY = { authorization: "Bearer test-api-key-0123456789abcdef" };

describe("the thread on a membership site", { skip: skipWithoutChromium }, () => {
  let app: TestApp;
  let host: Server;
  let hostOrigin: string;
  /** The markup of the host's next page. */
  let hostBody = "";
  /** The cookies each call of the host's token URL came with. */
  const tokenCalls: string[] = [];
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let posts = 0;

  const comment = (text: string) =>
    page.locator("hearth-thread article.comment", { hasText: text });

  /** Signs the reader in on the host site (its cookie, on its origin only). */
  async function signInOnHost(member: string, tiers: string[] = []): Promise<void> {
    await context.addCookies([
      { name: "member", value: member, url: hostOrigin },
      { name: "tiers", value: tiers.join("+") || "none", url: hostOrigin },
    ]);
  }

  async function openOnHost(body: string): Promise<void> {
    hostBody = body;
    await page.goto(`${hostOrigin}/post`);
  }

  async function seed(thread: string, body: string): Promise<void> {
    const { token } = await app.signIn({ sub: "gold-seeder", name: "Goldie", tiers: ["gold"] });
    const res = await app.request("POST", `/api/threads/${encodeURIComponent(thread)}/comments`, {
      token,
      body: { body },
      headers: { "idempotency-key": `membership-${++posts}` },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
  }

  async function settings(thread: string, body: Record<string, unknown>): Promise<void> {
    const res = await app.request("PUT", `/api/threads/${encodeURIComponent(thread)}`, {
      headers: API_KEY,
      body,
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
  }

  before(async () => {
    ensureBundle();
    // The host site: its pages load the bundle from Hearth; its token URL answers the signed-in
    // member's token as plain text, like Ghost's /members/api/session, and 204 otherwise.
    host = createServer(async (req, res) => {
      const url = new URL(req.url ?? "/", "http://host.invalid");
      const cookies = Object.fromEntries(
        (req.headers.cookie ?? "")
          .split(/;\s*/)
          .filter(Boolean)
          .map((pair) => pair.split("=") as [string, string]),
      );
      if (url.pathname === "/members/api/session") {
        tokenCalls.push(req.headers.cookie ?? "");
        if (!cookies.member) return res.writeHead(204).end();
        const tiers = cookies.tiers && cookies.tiers !== "none" ? cookies.tiers.split("+") : [];
        const token = await signHostToken({
          sub: `host-${cookies.member}`,
          name: "Hana Host",
          tiers,
          expiresIn: 3600,
        });
        return res.writeHead(200, { "content-type": "text/plain" }).end(token);
      }
      if (url.pathname === "/post") {
        return res.writeHead(200, { "content-type": "text/html" }).end(
          `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Members' post</title>
          </head><body><main>${hostBody}</main>
          <script type="module" src="${app.url}/widgets/hearth.js"></script></body></html>`,
        );
      }
      res.writeHead(404, { "content-type": "text/plain" }).end("Not here.");
    });
    await new Promise<void>((resolve) => host.listen(0, "127.0.0.1", resolve));
    hostOrigin = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
    app = await startTestApp({
      env: {
        HEARTH_ALLOWED_ORIGINS: hostOrigin,
        HEARTH_SESSION_TTL: "1m",
        HEARTH_CACHE_MS: "0",
        HEARTH_POSTS_PER_MINUTE: "0",
      },
    });
    assert.notEqual(new URL(app.url).origin, hostOrigin);
    browser = await launchChromium();
  });

  beforeEach(async () => {
    await context?.close();
    context = await browser.newContext({
      viewport: { width: 900, height: 800 },
      reducedMotion: "reduce",
    });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    tokenCalls.length = 0;
  });

  after(async () => {
    await context?.close();
    await browser?.close();
    await app?.close();
    await new Promise((resolve) => host?.close(resolve));
  });

  it("signs in with the host's plain-text token URL and posts across origins", async () => {
    await signInOnHost("hana");
    await openOnHost(
      `<hearth-thread thread="cross/origin" token-url="/members/api/session"></hearth-thread>`,
    );
    await page.getByText("Signed in as Hana Host").waitFor();
    // The token URL was asked on the host's origin, with the host's cookie.
    assert.match(tokenCalls[0] ?? "", /member=hana/);

    const box = page.getByRole("textbox", { name: "Write a comment" });
    await box.fill("Posted from the host's origin");
    await page.getByRole("button", { name: "Post comment" }).click();
    const posted = comment("Posted from the host's origin");
    await posted.waitFor();
    await eventually(async () => assert.equal(await posted.getAttribute("aria-busy"), "false"));
    await assertAccessible(page, "signed in on another origin");

    // Signed out on the host: the token URL answers 204 and the thread is read-only.
    await context.clearCookies();
    await page.reload();
    await comment("Posted from the host's origin").waitFor();
    await page.getByText("Sign in to join the conversation.").waitFor();
    assert.equal(await page.getByRole("textbox").count(), 0);
  });

  it("asks the getter for a fresh token once when the server no longer takes the session", async () => {
    await signInOnHost("rene");
    await openOnHost(`<hearth-thread thread="cross/renew"></hearth-thread>`);
    const sessions: number[] = [];
    page.on("response", (response) => {
      const exchange = response.request().method() === "POST";
      if (exchange && response.url().endsWith("/api/session")) sessions.push(response.status());
    });
    await page.evaluate(() => {
      const state = window as unknown as { asked: number };
      state.asked = 0;
      document.querySelector("hearth-thread")!.getToken = async () => {
        state.asked++;
        const res = await fetch("/members/api/session", { credentials: "include" });
        return res.status === 200 ? await res.text() : null;
      };
    });
    await page.getByText("Signed in as Hana Host").waitFor();

    app.clock.offsetMs = 2 * 60_000; // the one-minute session has run out on the server
    try {
      await page.getByRole("textbox", { name: "Write a comment" }).fill("Still signed in");
      await page.getByRole("button", { name: "Post comment" }).click();
      const posted = comment("Still signed in");
      await posted.waitFor();
      await eventually(async () => assert.equal(await posted.getAttribute("aria-busy"), "false"));
    } finally {
      app.clock.offsetMs = 0;
    }
    assert.equal(await page.evaluate(() => (window as unknown as { asked: number }).asked), 2);
    assert.deepEqual(sessions, [200, 200]);
    assert.equal(await page.getByRole("alert").count(), 0);
  });

  it("shows a member without the tier the thread read-only, with a link to upgrade", async () => {
    await seed("tier/write", "Only gold members write here");
    await settings("tier/write", { write: ["gold"] });
    await signInOnHost("silvia", ["silver"]);
    await openOnHost(
      `<hearth-thread thread="tier/write" token-url="/members/api/session"
        upgrade-url="/join?plan=gold"></hearth-thread>`,
    );
    await comment("Only gold members write here").waitFor();
    const panel = page.locator("hearth-thread section.upgrade");
    await panel.getByRole("heading", { name: "Join this tier to take part" }).waitFor();
    await panel.getByText("You can read along", { exact: false }).waitFor();
    assert.equal(await page.getByRole("textbox").count(), 0);
    assert.equal(await comment("Only gold members write here").getByText("Reply").count(), 0);
    await assertAccessible(page, "showing the upgrade panel");
    await page.emulateMedia({ colorScheme: "dark" });
    await assertAccessible(page, "showing the upgrade panel in the dark theme");
    await page.emulateMedia({ colorScheme: "light" });

    // The link is reached and followed from the keyboard.
    const link = panel.getByRole("link", { name: "See membership options" });
    assert.equal(await link.getAttribute("href"), `${hostOrigin}/join?plan=gold`);
    await link.focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(`${hostOrigin}/join?plan=gold`);

    // With the tier, the same member writes.
    await signInOnHost("silvia", ["gold"]);
    await openOnHost(
      `<hearth-thread thread="tier/write" token-url="/members/api/session"
        upgrade-url="/join"></hearth-thread>`,
    );
    await page.getByRole("textbox", { name: "Write a comment" }).waitFor();
    assert.equal(await page.locator("hearth-thread section.upgrade").count(), 0);
  });

  it("turns to the upgrade panel when the server refuses a post for the tier", async () => {
    await seed("tier/changed", "Open to all members, for now");
    await signInOnHost("tomas");
    await openOnHost(
      `<hearth-thread thread="tier/changed" token-url="/members/api/session"
        upgrade-url="/join"></hearth-thread>`,
    );
    const box = page.getByRole("textbox", { name: "Write a comment" });
    await box.fill("Am I still allowed?");
    await settings("tier/changed", { write: ["gold"] });
    await page.getByRole("button", { name: "Post comment" }).click();
    await page
      .locator("hearth-thread section.upgrade")
      .getByRole("heading", { name: "Join this tier to take part" })
      .waitFor();
    // Focus moves from the vanished Post button to the panel.
    await eventually(async () =>
      assert.equal(
        await page.locator("hearth-thread section.upgrade").evaluate((el) => el.matches(":focus")),
        true,
      ),
    );
    assert.equal(await comment("Am I still allowed?").count(), 0);
    assert.equal(await page.getByRole("textbox").count(), 0);
  });

  it("shows the panel instead of the comments when the tier may not read", async () => {
    await seed("tier/read", "Gold eyes only");
    await settings("tier/read", { read: ["gold"], write: ["gold"] });
    await signInOnHost("silvia", ["silver"]);
    await openOnHost(
      `<hearth-thread thread="tier/read" token-url="/members/api/session"
        upgrade-url="/join" lang="fr"></hearth-thread>`,
    );
    const panel = page.locator("hearth-thread section.upgrade");
    await panel.getByRole("heading", { name: "Rejoignez cette formule pour participer" }).waitFor();
    await panel
      .getByText("Cette discussion est réservée aux membres d’une autre formule.")
      .waitFor();
    await panel.getByRole("link", { name: "Voir les formules d’adhésion" }).waitFor();
    assert.equal(await comment("Gold eyes only").count(), 0);
    assert.equal(await page.getByRole("textbox").count(), 0);
    await assertAccessible(page, "showing the upgrade panel instead of the comments");

    // Signed out, the reader is asked to sign in instead.
    await context.clearCookies();
    await page.reload();
    await page.getByText("Cette discussion est réservée aux membres. Connectez-vous").waitFor();
    assert.equal(await page.locator("hearth-thread section.upgrade").count(), 0);
    assert.equal(await comment("Gold eyes only").count(), 0);
    await assertAccessible(page, "members-only, signed out");
  });
});
