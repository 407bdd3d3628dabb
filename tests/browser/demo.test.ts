/**
 * The demo page in headless Chromium against the real server: the built widgets bundle,
 * a real database, members switched through the demo controls. Driven by role and text.
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
  openHostPage,
  shadowTags,
  skipWithoutChromium,
} from "./support.ts";

describe("the demo page in Chromium", { skip: skipWithoutChromium }, () => {
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  let sessionExchanges = 0;

  const thread = () => page.locator("hearth-thread");
  const comment = (text: string): Locator =>
    page.locator("hearth-thread article.comment", { hasText: text });
  const composer = () => page.getByRole("textbox", { name: "Write a comment" });

  async function postComment(text: string): Promise<Locator> {
    await composer().fill(text);
    await page.getByRole("button", { name: "Post comment" }).click();
    const posted = comment(text.split("\n")[0]!.replace(/[*_`]/g, ""));
    await posted.waitFor();
    await eventually(async () => assert.equal(await posted.getAttribute("aria-busy"), "false"));
    return posted;
  }

  async function signInAs(name: string): Promise<void> {
    await page.getByRole("radio", { name }).check();
    await page.getByText(`Signed in as ${name}`).waitFor();
  }

  before(async () => {
    ensureBundle();
    // The demo is off with a configured secret: this suite is about the demo.
    app = await startTestApp({ env: { HEARTH_DEMO: "1" } });
    browser = await launchChromium();
    // Reduced motion turns transitions off, so axe never measures a colour mid-fade.
    page = await browser.newPage({
      viewport: { width: 1000, height: 900 },
      colorScheme: "light",
      reducedMotion: "reduce",
    });
    page.setDefaultTimeout(10_000);
    page.on("pageerror", (error) => pageErrors.push(error.message));
    page.on("request", (request) => {
      if (request.method() === "POST" && new URL(request.url()).pathname === "/api/session") {
        sessionExchanges++;
      }
    });
  });

  after(async () => {
    await browser?.close();
    await app?.close();
  });

  it("shows the empty thread to the first member, who posts a comment", async () => {
    await page.goto(`${app.url}/demo`);
    await page.getByText("No comments yet. Start the conversation.").waitFor();
    await page.getByText("Signed in as Anna Lindqvist").waitFor();
    await assertAccessible(page, "empty");
    // The bell, the thread and the count share one session: the member signs in once.
    assert.equal(sessionExchanges, 1);

    const posted = await postComment("My starter is called **Gus** and he is 9 years old.");
    assert.equal(await posted.locator("strong").textContent(), "Gus");
    assert.equal(await posted.getByText("Posting…").count(), 0);
    await page.locator("hearth-count", { hasText: "1 comment" }).waitFor();
    assert.equal(await composer().inputValue(), "");
  });

  it("switches to the second member, who replies", async () => {
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as { __events?: string[] }).__events = seen;
      // The header's bell reports its own session change; this counts the thread's.
      document.addEventListener("hearth-session-changed", (event) => {
        if ((event.target as Element).localName === "hearth-thread") {
          seen.push(`session ${event.member?.name ?? "none"}`);
        }
      });
      document.addEventListener("hearth-comment-posted", (event) =>
        seen.push(
          `posted ${event.comment.author.name} ${event.comment.parentId ? "reply" : "top"}`,
        ),
      );
    });
    const exchangesBefore = sessionExchanges;
    await signInAs("Ben Okafor");
    await comment("My starter is called").getByRole("button", { name: "Reply" }).click();
    const reply = page.getByRole("textbox", { name: "Reply to Anna Lindqvist" });
    await reply.fill("Gus is older than my oven. What flour do you feed him?");
    await assertAccessible(page, "replying");
    await page.getByRole("button", { name: "Post reply" }).click();

    const posted = comment("What flour do you feed him?");
    await posted.waitFor();
    await eventually(async () => assert.equal(await posted.getAttribute("aria-busy"), "false"));
    // The reply sits in the replies list under Anna's comment, and its composer is closed.
    const nested = page.locator("hearth-thread ol.replies article.comment", {
      hasText: "What flour do you feed him?",
    });
    assert.equal(await nested.count(), 1);
    assert.equal(await reply.count(), 0);
    assert.deepEqual(await page.evaluate(() => (window as { __events?: string[] }).__events), [
      "session Ben Okafor",
      "posted Ben Okafor reply",
    ]);
    assert.equal(sessionExchanges - exchangesBefore, 1);
  });

  it("toggles a reaction with aria-pressed and a count", async () => {
    const anna = comment("My starter is called");
    await anna.getByRole("button", { name: "Like: 0" }).click();
    const liked = anna.getByRole("button", { name: "Like: 1" });
    await liked.waitFor();
    assert.equal(await liked.getAttribute("aria-pressed"), "true");

    await anna.getByRole("button", { name: "Love: 0" }).click();
    await anna.getByRole("button", { name: "Love: 1" }).click();
    const love = anna.getByRole("button", { name: "Love: 0" });
    await love.waitFor();
    assert.equal(await love.getAttribute("aria-pressed"), "false");
  });

  it("edits the member's own comment from its Markdown", async () => {
    const mine = comment("What flour do you feed him?");
    assert.equal(
      await comment("My starter is called").getByRole("button", { name: "Edit" }).count(),
      0,
    );
    await mine.getByRole("button", { name: "Edit" }).click();
    const editor = page.getByRole("textbox", { name: "Edit your comment" });
    assert.equal(
      await editor.inputValue(),
      "Gus is older than my oven. What flour do you feed him?",
    );
    await assertAccessible(page, "editing");
    await editor.fill("Gus is older than my oven! What _flour_ do you feed him?");
    await page.getByRole("button", { name: "Save" }).click();

    const edited = comment("What flour do you feed him?");
    await edited.getByText("(edited)").waitFor();
    assert.equal(await edited.locator("em").textContent(), "flour");
  });

  it("deletes the member's own comment after a confirmation and leaves a tombstone", async () => {
    const doomed = await postComment("A comment I will regret.");
    await doomed.getByRole("button", { name: "Delete" }).click();
    await page.getByText("Delete this comment?").waitFor();
    await assertAccessible(page, "confirming a delete");
    await page.getByRole("button", { name: "Yes, delete" }).click();
    await page.getByText("Comment deleted").waitFor();
    await assertAccessible(page, "showing a tombstone");
    assert.equal(await comment("A comment I will regret.").count(), 0);
  });

  it("sorts the newest comments first", async () => {
    await postComment("Rye flour, mostly. Newest thoughts here.");
    await page.getByRole("radio", { name: "Newest" }).check();
    await eventually(async () => {
      const first = page.locator("hearth-thread ol.comments > li > article").first();
      assert.match((await first.textContent()) ?? "", /Newest thoughts here/);
    });
    assert.equal(await thread().getAttribute("sort"), "newest");
  });

  it("shows everything again after a reload", async () => {
    await page.reload();
    await page.getByText("Signed in as Ben Okafor").waitFor();
    const anna = comment("My starter is called");
    await anna.waitFor();
    assert.equal(
      await anna.getByRole("button", { name: "Like: 1" }).getAttribute("aria-pressed"),
      "true",
    );
    await comment("What flour do you feed him?").getByText("(edited)").waitFor();
    // A deleted comment without replies leaves no tombstone once the page is loaded again.
    assert.equal(await comment("A comment I will regret.").count(), 0);
    await comment("Newest thoughts here").waitFor();
    await page.locator("hearth-count", { hasText: "3 comments" }).waitFor();
  });

  it("renders hostile Markdown inert", async () => {
    const posted = await postComment(
      [
        "Hostile payloads",
        "<script>window.__pwned=1</script>",
        "[x](javascript:window.__pwned=2)",
        '<img src=x onerror="window.__pwned=3">',
        '<iframe src="https://example.com/"></iframe>',
      ].join("\n\n"),
    );
    await posted.getByText("<script>window.__pwned=1</script>").waitFor();
    await posted.getByText("x", { exact: true }).click();
    await page.waitForTimeout(200);

    assert.equal(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned), undefined);
    const tags = await shadowTags(page);
    for (const tag of ["script", "iframe", "img"]) assert.ok(!tags.includes(tag), `a <${tag}>`);
    const hrefs = await posted
      .locator("a")
      .evaluateAll((links) => links.map((link) => link.getAttribute("href") ?? ""));
    assert.ok(hrefs.every((href) => !/^\s*javascript:/i.test(href)));
  });

  it("scrolls to and highlights the comment of a permalink", async () => {
    const target = comment("My starter is called");
    const id = (await target.getAttribute("id"))!;
    assert.match(id, /^hearth-comment-\d+$/);
    await page.setViewportSize({ width: 1000, height: 500 });
    await page.goto(`${app.url}/demo#${id}`);
    await eventually(async () => {
      assert.match((await target.getAttribute("class")) ?? "", /comment--highlighted/);
      const box = await target.boundingBox();
      assert.ok(box && box.y >= 0 && box.y + box.height <= 500, "in view");
    });
    assert.equal(await target.evaluate((element) => element.matches(":focus")), true);
    await page.setViewportSize({ width: 1000, height: 900 });
  });

  it("loads further pages until the permalinked comment is found", async () => {
    const { token } = await app.signIn({ sub: "paging-author", name: "Paula Pager" });
    const ids: string[] = [];
    for (let n = 1; n <= 7; n++) {
      const res = await app.request("POST", "/api/threads/paging/comments", {
        token,
        body: { body: `Paged comment number ${n}` },
        headers: { "idempotency-key": `paging-${n}` },
      });
      assert.equal(res.status, 201);
      ids.push(res.body.comment.id);
    }
    // A plain host page with a small page size, for a signed-out reader.
    await openHostPage(
      page,
      app.url,
      `<hearth-thread thread="paging" page-size="2"></hearth-thread>`,
      {
        hash: `#hearth-comment-${ids[6]}`,
      },
    );
    const target = comment("Paged comment number 7");
    await eventually(async () =>
      assert.match((await target.getAttribute("class")) ?? "", /comment--highlighted/),
    );
    await page.getByText("Sign in to join the conversation.").waitFor();
    assert.equal(await page.getByRole("textbox").count(), 0);
    assert.equal(await page.getByRole("button", { name: "Reply" }).count(), 0);
  });

  it("speaks German with lang=de", async () => {
    await page.goto(`${app.url}/demo?member=ben`);
    await page.getByText("Signed in as Ben Okafor").waitFor();
    await page.getByRole("combobox", { name: "Language" }).selectOption("de");
    await page.getByRole("heading", { name: /Kommentare/ }).waitFor();
    await page.getByText("Angemeldet als Ben Okafor").waitFor();
    await page.getByRole("textbox", { name: "Kommentar schreiben" }).waitFor();
    await page.getByRole("radio", { name: "Neueste" }).waitFor();
    assert.ok((await page.getByRole("button", { name: "Antworten" }).count()) > 0);
    await page.locator("hearth-count", { hasText: "4 Kommentare" }).waitFor();
    assert.equal(await thread().getAttribute("lang"), "de");
    await assertAccessible(page, "in German");
  });

  it("shows signed-out readers the comments and a note instead of the composer", async () => {
    await page.goto(`${app.url}/demo`);
    await page.getByRole("radio", { name: "Signed out" }).check();
    await page.getByText("Sign in to join the conversation.").waitFor();
    await comment("My starter is called").waitFor();
    assert.equal(await composer().count(), 0);
    const like = comment("My starter is called").getByRole("button", { name: "Like: 1" });
    assert.equal(await like.isDisabled(), true);
    await assertAccessible(page, "signed out");
  });

  it("looks right in light and dark (screenshots)", async () => {
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(`${app.url}/demo?member=anna`);
      await comment("My starter is called").waitFor();
      await page.screenshot({ path: `/tmp/hearth-demo-${scheme}.png`, fullPage: true });
      await assertAccessible(page, `in the ${scheme} theme`);
      const surface = await thread().evaluate(
        (element) => getComputedStyle(element.shadowRoot!.querySelector(".base")!).backgroundColor,
      );
      assert.notEqual(surface, "");
    }
    assert.deepEqual(pageErrors, []);
  });
});
