/**
 * <hearth-notifications> on the demo page in headless Chromium against the real server:
 * two members in two browser contexts; one replies and the other's bell rings live.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser, Locator, Page } from "playwright-core";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import {
  assertAccessible,
  ensureBundle,
  eventually,
  launchChromium,
  skipWithoutChromium,
} from "./support.ts";

const BELL = ["hearth-notifications"];

describe("notifications in Chromium", { skip: skipWithoutChromium }, () => {
  let app: TestApp;
  let browser: Browser;
  let anna: Page;
  let ben: Page;
  const pageErrors: string[] = [];

  const comment = (page: Page, text: string): Locator =>
    page.locator("hearth-thread article.comment", { hasText: text });
  const bell = (page: Page) =>
    page.locator("hearth-notifications").getByRole("button", { name: /^Notifications/ });
  const item = (page: Page, text: string) =>
    page.locator("hearth-notifications li", { hasText: text });

  async function openAs(member: string): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width: 1000, height: 900 },
      colorScheme: "light",
      reducedMotion: "reduce",
    });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await page.goto(`${app.url}/demo?member=${member}`);
    await page
      .locator("hearth-thread")
      .getByText(/^Signed in as/)
      .waitFor();
    return page;
  }

  async function post(page: Page, text: string): Promise<Locator> {
    await page.getByRole("textbox", { name: "Write a comment" }).fill(text);
    await page.getByRole("button", { name: "Post comment" }).click();
    const posted = comment(page, text);
    await eventually(async () => assert.equal(await posted.getAttribute("aria-busy"), "false"));
    return posted;
  }

  before(async () => {
    ensureBundle();
    // The demo (off with a configured secret) plays the host site.
    app = await startTestApp({ env: { HEARTH_EMAIL_DELAY: "0", HEARTH_DEMO: "1" } });
    browser = await launchChromium();
    anna = await openAs("anna");
    ben = await openAs("ben");
  });

  after(async () => {
    await browser?.close();
    await app?.close();
  });

  it("rings Anna's bell live when Ben replies to her, and links to the reply", async () => {
    await post(anna, "Who else proofs their dough overnight?");
    await bell(anna).waitFor();
    assert.equal(await bell(anna).getAttribute("aria-label"), "Notifications");

    await ben.reload();
    const annas = comment(ben, "Who else proofs their dough overnight?");
    await annas.getByRole("button", { name: "Reply" }).click();
    await ben
      .getByRole("textbox", { name: "Reply to Anna Lindqvist" })
      .fill("Every Friday, in the fridge.");
    await ben.getByRole("button", { name: "Post reply" }).click();
    const reply = comment(ben, "Every Friday, in the fridge.");
    await eventually(async () => assert.equal(await reply.getAttribute("aria-busy"), "false"));
    const replyId = (await reply.getAttribute("id"))!;

    // No reload on Anna's page: the stream brings it.
    await anna
      .locator("hearth-notifications")
      .getByRole("button", { name: "Notifications, 1 unread" })
      .waitFor();
    assert.equal(await anna.locator("hearth-notifications").locator(".badge").textContent(), "1");
    await assertAccessible(anna, "the bell with an unread notification", BELL);

    await bell(anna).click();
    assert.equal(await bell(anna).getAttribute("aria-expanded"), "true");
    const notice = item(anna, "Ben Okafor replied to your comment");
    await notice.waitFor();
    await notice.getByText("Every Friday, in the fridge.").waitFor();
    const link = notice.getByRole("link");
    assert.match((await link.getAttribute("href")) ?? "", new RegExp(`/demo#${replyId}$`));
    await assertAccessible(anna, "the open list, light", BELL);
    await anna.emulateMedia({ colorScheme: "dark" });
    await assertAccessible(anna, "the open list, dark", BELL);
    await anna.emulateMedia({ colorScheme: "light" });

    await link.click();
    await eventually(async () =>
      assert.equal(await bell(anna).getAttribute("aria-label"), "Notifications"),
    );
    assert.equal(await bell(anna).getAttribute("aria-expanded"), "false");
    const shown = comment(anna, "Every Friday, in the fridge.");
    await eventually(async () =>
      assert.match((await shown.getAttribute("class")) ?? "", /comment--highlighted/),
    );
  });

  it("groups reactions and marks everything read", async () => {
    const annas = comment(ben, "Who else proofs their dough overnight?");
    await annas.getByRole("button", { name: "Like: 0" }).click();
    await anna
      .locator("hearth-notifications")
      .getByRole("button", { name: "Notifications, 1 unread" })
      .waitFor();
    await bell(anna).click();
    await item(anna, "Ben Okafor reacted to your comment").waitFor();
    await anna
      .locator("hearth-notifications")
      .getByRole("button", { name: "Mark all as read" })
      .click();
    await eventually(async () =>
      assert.equal(await bell(anna).getAttribute("aria-label"), "Notifications"),
    );
    assert.equal(await anna.locator("hearth-notifications li.item--unread").count(), 0);

    // Escape closes the panel and gives the focus back to the bell.
    await anna.keyboard.press("Escape");
    assert.equal(await bell(anna).getAttribute("aria-expanded"), "false");
    assert.equal(await bell(anna).evaluate((button) => button.matches(":focus")), true);

    await anna.reload();
    await bell(anna).waitFor();
    assert.equal(await bell(anna).getAttribute("aria-label"), "Notifications");
  });

  it("saves email preferences per kind", async () => {
    await bell(anna).click();
    await anna.getByRole("button", { name: "Notification settings" }).click();
    const replies = anna.getByRole("combobox", { name: "Replies to my comments" });
    await replies.waitFor();
    assert.equal(await replies.inputValue(), "immediate");
    await assertAccessible(anna, "the preferences", BELL);
    await replies.selectOption("digest");
    await anna.locator("hearth-notifications").getByText("Saved.").waitFor();

    await anna.reload();
    await bell(anna).click();
    await anna.getByRole("button", { name: "Notification settings" }).click();
    await eventually(async () =>
      assert.equal(
        await anna.getByRole("combobox", { name: "Replies to my comments" }).inputValue(),
        "digest",
      ),
    );
    await anna.emulateMedia({ colorScheme: "dark" });
    await assertAccessible(anna, "the preferences, dark", BELL);
    await anna.emulateMedia({ colorScheme: "light" });
  });

  it("speaks German on a German page", async () => {
    await anna.goto(`${app.url}/demo?member=anna&lang=de`);
    await anna
      .locator("hearth-notifications")
      .getByRole("button", { name: "Benachrichtigungen" })
      .click();
    await item(anna, "Ben Okafor hat auf deinen Kommentar geantwortet").waitFor();
    assert.deepEqual(pageErrors, []);
  });
});
