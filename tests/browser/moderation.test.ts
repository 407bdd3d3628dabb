/**
 * <hearth-moderation> on the demo's moderation page in headless Chromium against the real
 * server: a comment held by a pre-moderated thread is approved with the `a` key and shows
 * up in the thread; removing asks first; the audit log records both.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser, Locator, Page } from "playwright-core";
import { DEMO_THREAD } from "../../server/routes/demo.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import {
  assertAccessible,
  ensureBundle,
  eventually,
  launchChromium,
  skipWithoutChromium,
} from "./support.ts";

const DESK = ["hearth-moderation"];
const API_KEY = "test-api-key-0123456789abcdef";

describe("moderation in Chromium", { skip: skipWithoutChromium }, () => {
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  const comment = (text: string): Locator =>
    page.locator("hearth-thread article.comment", { hasText: text });
  const queued = (text: string): Locator =>
    page.locator("hearth-moderation article.item", { hasText: text });
  const desk = () => page.locator("hearth-moderation");

  async function post(text: string): Promise<Locator> {
    await page.getByRole("textbox", { name: "Write a comment" }).fill(text);
    await page.getByRole("button", { name: "Post comment" }).click();
    const posted = comment(text);
    await eventually(async () => assert.equal(await posted.getAttribute("aria-busy"), "false"));
    return posted;
  }

  async function signInAs(name: string): Promise<void> {
    await page.getByRole("radio", { name }).check();
    await page.getByText(`Signed in as ${name}`).waitFor();
  }

  before(async () => {
    ensureBundle();
    // The demo (off with a configured secret) plays the host site and its moderator.
    app = await startTestApp({ env: { HEARTH_DEMO: "1" } });
    browser = await launchChromium();
    page = await browser.newPage({
      viewport: { width: 1200, height: 900 },
      colorScheme: "light",
      reducedMotion: "reduce",
    });
    page.setDefaultTimeout(10_000);
    page.on("pageerror", (error) => pageErrors.push(error.message));

    // Anna starts the thread; then the owner turns on pre-moderation and Ben replies.
    await page.goto(`${app.url}/demo?member=anna`);
    await page.getByText("Signed in as Anna Lindqvist").waitFor();
    await post("My starter lives on the windowsill.");
    const settings = await app.request("PUT", `/api/threads/${encodeURIComponent(DEMO_THREAD)}`, {
      headers: { authorization: `Bearer ${API_KEY}` },
      body: { premoderated: true },
    });
    assert.equal(settings.status, 200, JSON.stringify(settings.body));
    await signInAs("Ben Okafor");
    await comment("My starter lives on the windowsill.")
      .getByRole("button", { name: "Reply" })
      .click();
    await page
      .getByRole("textbox", { name: "Reply to Anna Lindqvist" })
      .fill("Mine sulks in the cold pantry.");
    await page.getByRole("button", { name: "Post reply" }).click();
    await comment("Mine sulks in the cold pantry.").getByText("Awaiting review").waitFor();
    await post("Buy cheap watches at spam.example");
  });

  after(async () => {
    await browser?.close();
    await app?.close();
  });

  it("shows held comments with their context", async () => {
    await page.goto(`${app.url}/demo/moderation`);
    const held = queued("Mine sulks in the cold pantry.");
    await held.waitFor();
    await held.getByText("Reply to Anna Lindqvist:").waitFor();
    await held.getByText("My starter lives on the windowsill.").waitFor();
    await held.getByText("Pre-moderated thread").waitFor();
    await held.getByText(/^History: /).waitFor();
    assert.equal(await desk().locator("article.item").count(), 2);
    await assertAccessible(page, "the queue, light", DESK);
    await page.emulateMedia({ colorScheme: "dark" });
    await assertAccessible(page, "the queue, dark", DESK);
    await page.emulateMedia({ colorScheme: "light" });

    const filter = desk().getByRole("combobox", { name: "Show" });
    await filter.selectOption("flags");
    await desk().getByText("Nothing waits for review. Well done.").waitFor();
    await filter.selectOption("premoderation");
    await held.waitFor();
    assert.equal(await desk().locator("article.item").count(), 2);
  });

  it("approves the current item with `a`, and the comment appears in the thread", async () => {
    const held = queued("Mine sulks in the cold pantry.");
    await held.getByText("Mine sulks in the cold pantry.").click();
    assert.equal(await held.evaluate((item) => item.matches(":focus")), true);
    await page.keyboard.press("a");
    await eventually(async () => assert.equal(await held.count(), 0));
    await desk().getByText("Approved.").waitFor();
    // The focus moves on to the next item.
    const next = queued("Buy cheap watches");
    assert.equal(await next.evaluate((item) => item.matches(":focus")), true);

    const reader = await browser.newPage();
    await reader.goto(`${app.url}/demo?member=anna`);
    const approved = reader.locator("hearth-thread article.comment", {
      hasText: "Mine sulks in the cold pantry.",
    });
    await approved.waitFor();
    assert.equal(await approved.getByText("Awaiting review").count(), 0);
    await reader.close();
  });

  it("opens the member panel with the author's history", async () => {
    await queued("Buy cheap watches").getByRole("button", { name: "About Ben Okafor" }).click();
    const panel = desk().locator("section.member");
    await panel.getByRole("heading", { name: "Ben Okafor" }).waitFor();
    await panel.getByText(/^History: 1 published/).waitFor();
    await panel.getByRole("button", { name: "Limit" }).waitFor();
    await assertAccessible(page, "the member panel", DESK);
    await page.keyboard.press("Escape");
    assert.equal(await panel.count(), 0);
  });

  it("asks before removing with `r`, then removes with the reason", async () => {
    const spam = queued("Buy cheap watches");
    await spam.getByText("Buy cheap watches").click();
    await page.keyboard.press("r");
    const reason = desk().getByRole("textbox", { name: "Reason (the author is told)" });
    await reason.waitFor();
    assert.equal(await reason.evaluate((input) => input.matches(":focus")), true);
    await assertAccessible(page, "confirming a removal", DESK);
    // Typing in the reason is not a shortcut.
    await reason.fill("Advertising");
    assert.equal(await spam.count(), 1);
    await desk().locator("form").getByRole("button", { name: "Remove", exact: true }).click();
    await eventually(async () => assert.equal(await spam.count(), 0));
    await desk().getByText("Nothing waits for review. Well done.").waitFor();
    await assertAccessible(page, "the empty queue", DESK);
  });

  it("lists both decisions in the audit log", async () => {
    await desk().getByRole("tab", { name: "Audit log" }).click();
    await desk()
      .getByText(/^Morgan Reyes removed comment /)
      .waitFor();
    await desk()
      .getByText(/^Morgan Reyes approved comment /)
      .waitFor();
    await desk().getByText("“Advertising”").waitFor();
    await assertAccessible(page, "the audit log", DESK);
    // A removal can be taken back from the log.
    await desk()
      .getByRole("button", { name: /^Undo: Morgan Reyes removed comment / })
      .click();
    await desk()
      .getByText(/^Morgan Reyes restored comment /)
      .waitFor();
    assert.equal(
      await desk()
        .getByRole("button", { name: /^Undo: Morgan Reyes approved/ })
        .count(),
      0,
    );
    await page.emulateMedia({ colorScheme: "dark" });
    await assertAccessible(page, "the audit log, dark", DESK);
    await page.emulateMedia({ colorScheme: "light" });
  });

  it("approves several selected comments at once", async () => {
    await page.goto(`${app.url}/demo?member=ben`);
    await page.getByText("Signed in as Ben Okafor").waitFor();
    await post("First of two held notes.");
    await post("Second of two held notes.");
    await page.goto(`${app.url}/demo/moderation?lang=de`);
    const first = queued("First of two held notes.");
    await first.waitFor();
    await first.getByText("First of two held notes.").click();
    await page.keyboard.press("x");
    await page.keyboard.press("j");
    await page.keyboard.press("x");
    await desk().getByText("2 ausgewählt").waitFor();
    await desk().getByRole("button", { name: "Auswahl freigeben" }).click();
    await desk().getByText("Nichts wartet auf Prüfung. Gut gemacht.").waitFor();
    assert.deepEqual(pageErrors, []);
  });
});
