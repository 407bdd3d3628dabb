/**
 * The widgets on plain host pages in headless Chromium against the real server: the
 * states around failures, the keyboard, deep threads and batched counts.
 */
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import {
  assertAccessible,
  ensureBundle,
  eventually,
  launchChromium,
  openHostPage,
  skipWithoutChromium,
} from "./support.ts";

describe("the widgets on a host page", { skip: skipWithoutChromium }, () => {
  let app: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  const comment = (text: string) =>
    page.locator("hearth-thread article.comment", { hasText: text });

  async function seed(thread: string, bodies: string[], sub = "seeder"): Promise<string[]> {
    const { token } = await app.signIn({ sub, name: "Sam Seeder" });
    const ids: string[] = [];
    for (const [index, body] of bodies.entries()) {
      const res = await app.request("POST", `/api/threads/${encodeURIComponent(thread)}/comments`, {
        token,
        body: { body },
        headers: { "idempotency-key": `${thread}-${index}` },
      });
      assert.equal(res.status, 201);
      ids.push(res.body.comment.id);
    }
    return ids;
  }

  before(async () => {
    ensureBundle();
    // Member tokens come from the demo's /demo/token (off with a configured secret).
    app = await startTestApp({ env: { HEARTH_DEMO: "1" } });
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
  });

  after(async () => {
    await context?.close();
    await browser?.close();
    await app?.close();
  });

  it("shows an error with a Retry button when the comments cannot be loaded", async () => {
    await seed("flaky/load", ["Here after a retry"]);
    let failures = 1;
    await page.route("**/api/threads/flaky%2Fload/comments?**", (route) =>
      failures-- > 0
        ? route.fulfill({
            status: 500,
            contentType: "application/json",
            body: JSON.stringify({ error: { code: "internal", message: "Boom." } }),
          })
        : route.continue(),
    );
    await openHostPage(page, app.url, `<hearth-thread thread="flaky/load"></hearth-thread>`);
    await page.getByText("The comments could not be loaded.").waitFor();
    await page.getByText("Something went wrong on the server. Please try again.").waitFor();
    await assertAccessible(page, "failing to load");
    await page.getByRole("button", { name: "Retry" }).click();
    await comment("Here after a retry").waitFor();
    assert.equal(await page.getByRole("button", { name: "Retry" }).count(), 0);
  });

  it("takes a failed comment back, keeps the text, and resends it with the same key", async () => {
    const keys: string[] = [];
    let failures = 1;
    await page.route("**/api/threads/flaky%2Fpost/comments", async (route) => {
      if (route.request().method() !== "POST") return route.continue();
      keys.push((await route.request().headerValue("idempotency-key")) ?? "");
      return failures-- > 0 ? route.abort("failed") : route.continue();
    });
    await openHostPage(
      page,
      app.url,
      `<hearth-thread thread="flaky/post" token-url="/demo/token/anna"></hearth-thread>`,
    );
    const box = page.getByRole("textbox", { name: "Write a comment" });
    await box.fill("Try, try again");
    // Ctrl+Enter sends from the keyboard.
    await box.press("Control+Enter");
    await page.getByText("The comments server could not be reached.", { exact: false }).waitFor();
    assert.equal(await comment("Try, try again").count(), 0);
    assert.equal(await box.inputValue(), "Try, try again");
    await assertAccessible(page, "failing to post");

    await page.getByRole("button", { name: "Post comment" }).click();
    const posted = comment("Try, try again");
    await posted.waitFor();
    await eventually(async () => assert.equal(await posted.getAttribute("aria-busy"), "false"));
    assert.equal(keys.length, 2);
    assert.match(keys[0]!, /^[0-9a-f-]{36}$/);
    assert.equal(keys[1], keys[0]);
    await page.getByRole("status").filter({ hasText: "Your comment was posted." }).waitFor();
  });

  it("loads more comments on request and keeps a draft while the order changes", async () => {
    await seed("more", ["First of three", "Second of three", "Third of three"]);
    await openHostPage(
      page,
      app.url,
      `<hearth-thread thread="more" page-size="2" token-url="/demo/token/anna"></hearth-thread>`,
    );
    await comment("Second of three").waitFor();
    assert.equal(await comment("Third of three").count(), 0);
    await page.getByRole("button", { name: "Load more comments" }).click();
    await comment("Third of three").waitFor();
    await page.getByRole("status").filter({ hasText: "1 more comment loaded." }).waitFor();
    assert.equal(await page.getByRole("button", { name: "Load more comments" }).count(), 0);

    const box = page.getByRole("textbox", { name: "Write a comment" });
    await box.fill("A draft in progress");
    await page.getByRole("radio", { name: "Newest" }).check();
    await eventually(async () => {
      const first = page.locator("hearth-thread ol.comments > li > article").first();
      assert.match((await first.textContent()) ?? "", /Third of three/);
    });
    assert.equal(await box.inputValue(), "A draft in progress");
  });

  it("can be used with the keyboard alone", async () => {
    await seed("keyboard", ["Reply to me by keyboard"]);
    await openHostPage(
      page,
      app.url,
      `<hearth-thread thread="keyboard" token-url="/demo/token/ben"></hearth-thread>`,
    );
    await comment("Reply to me by keyboard").waitFor();
    const reply = comment("Reply to me by keyboard").getByRole("button", { name: "Reply" });
    await reply.focus();
    await page.keyboard.press("Enter");
    const box = page.getByRole("textbox", { name: "Reply to Sam Seeder" });
    await eventually(async () =>
      assert.equal(await box.evaluate((el) => el.matches(":focus")), true),
    );
    await page.keyboard.type("Typed without a mouse");
    await page.keyboard.press("Control+Enter");
    const posted = comment("Typed without a mouse");
    await posted.waitFor();
    await eventually(async () => assert.equal(await posted.getAttribute("aria-busy"), "false"));
    // Focus moved to the new reply.
    assert.equal(await posted.evaluate((el) => el.matches(":focus")), true);
    // Escape closes a reply box and gives focus back to its Reply button.
    await reply.focus();
    await page.keyboard.press("Enter");
    await box.waitFor();
    await page.keyboard.press("Escape");
    await eventually(async () =>
      assert.equal(await reply.evaluate((el) => el.matches(":focus")), true),
    );
    assert.equal(await box.count(), 0);
  });

  it("names the real parent of a reply shown below the deepest level", async () => {
    const { token } = await app.signIn({ sub: "deep-diver", name: "Dana Deep" });
    let parentId: string | null = null;
    const handles: string[] = [];
    for (let level = 0; level <= 4; level++) {
      const res = await app.request("POST", "/api/threads/deep/comments", {
        token,
        body: { body: `Level ${level} comment`, ...(parentId ? { parentId } : {}) },
        headers: { "idempotency-key": `deep-${level}` },
      });
      assert.equal(res.status, 201);
      parentId = res.body.comment.id;
      handles.push(res.body.comment.author.handle);
    }
    await openHostPage(page, app.url, `<hearth-thread thread="deep"></hearth-thread>`);
    const deepest = comment("Level 4 comment");
    await deepest.waitFor();
    await deepest.getByText(`replying to @${handles[3]}`).waitFor();
    assert.equal(await comment("Level 3 comment").getByText("replying to").count(), 0);
  });

  it("marks a held comment as awaiting review, and a locked thread as closed", async () => {
    const apiKey = { authorization: "Bearer test-api-key-0123456789abcdef" };
    const premoderate = await app.request("PUT", "/api/threads/held", {
      headers: apiKey,
      body: { premoderated: true },
    });
    assert.equal(premoderate.status, 200);
    await openHostPage(
      page,
      app.url,
      `<hearth-thread thread="held" token-url="/demo/token/anna"></hearth-thread>`,
    );
    await page.getByRole("textbox", { name: "Write a comment" }).fill("Please let me in");
    await page.getByRole("button", { name: "Post comment" }).click();
    const held = comment("Please let me in");
    await held.getByText("Awaiting review").waitFor();
    await page.getByRole("status").filter({ hasText: "is awaiting review" }).waitFor();
    assert.equal(await held.getByRole("button", { name: "Reply" }).count(), 0);
    await assertAccessible(page, "showing a held comment");

    const lock = await app.request("PUT", "/api/threads/held", {
      headers: apiKey,
      body: { locked: true },
    });
    assert.equal(lock.status, 200);
    await page.reload();
    await page.getByText("This thread is closed to new comments.").waitFor();
    assert.equal(await page.getByRole("textbox").count(), 0);
  });

  it("fetches every count on the page in one request, in the page's language", async () => {
    await seed("counted/one", ["a"]);
    await seed("counted/two", ["a", "b"]);
    const requests: string[] = [];
    page.on("request", (request) => {
      if (request.url().includes("/api/counts")) requests.push(request.url());
    });
    await openHostPage(
      page,
      app.url,
      `<p id="one"><hearth-count thread="counted/one"></hearth-count></p>
       <p id="two"><hearth-count thread="counted/two"></hearth-count></p>
       <p id="none"><hearth-count thread="counted/none"></hearth-count></p>`,
      { lang: "fr" },
    );
    await page.locator("#one hearth-count", { hasText: "1 commentaire" }).waitFor();
    await page.locator("#two hearth-count", { hasText: "2 commentaires" }).waitFor();
    await page.locator("#none hearth-count", { hasText: "0 commentaire" }).waitFor();
    assert.equal(requests.length, 1);
  });
});
