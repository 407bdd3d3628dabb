/**
 * The example membership site (examples/express-site) in headless Chromium: the site runs
 * as its own process, as `npm run example` starts it (plain node importing the compiled
 * `hearth` package), on a fresh embedded database.
 * Two people join, one comments under a members-only article, the other replies from a
 * phone, and the first sees the reply in the bell. Hearth learns who they are only from the
 * site's own session, through `getMember`.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { DEMO_SSO_SECRET } from "../../server/config.ts";
import { freePort } from "../helpers/smtp.ts";
import { signHostToken } from "../helpers/tokens.ts";
import { assertAccessible, eventually, launchChromium, skipWithoutChromium } from "./support.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const ARTICLE = "Saving tomato seeds, the slow way";
const ARTICLE_PATH = "/articles/saving-tomato-seeds";

/**
 * Builds what the site imports when it is missing or older than its sources: the compiled
 * package (`hearth`, dist/server) and the widgets, as `npm run example` does.
 */
function ensureBuilt(): void {
  const build = spawnSync(process.execPath, ["scripts/ensure-built.js"], {
    cwd: root,
    encoding: "utf8",
  });
  assert.equal(build.status, 0, `${build.stdout}\n${build.stderr}`);
}

interface ExampleSite {
  url: string;
  process: ChildProcess;
  output: string[];
  stop(): Promise<void>;
}

/** Starts `node examples/express-site/server.js` and waits until it listens. */
async function startExampleSite(dataDir: string): Promise<ExampleSite> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: Record<string, string | undefined> = {
    ...process.env,
    PORT: String(port),
    HOST: "127.0.0.1",
    SITE_URL: url,
    SITE_DATA_DIR: dataDir,
    HEARTH_LOG_LEVEL: "error",
    HEARTH_EMAIL_DELAY: "0",
  };
  // The embedded database in the fresh folder, whatever the calling shell points at.
  delete env.DATABASE_URL;
  delete env.HEARTH_DATA_DIR;
  const child = spawn(process.execPath, ["examples/express-site/server.js"], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.stderr!.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the example site did not start")), 90_000);
    child.stdout!.on("data", (chunk: Buffer) => {
      output.push(chunk.toString());
      if (chunk.toString().includes("is listening on")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the example site exited with ${code}:\n${output.join("")}`));
    });
  });
  return {
    url,
    process: child,
    output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

describe("the example Express site in Chromium", { skip: skipWithoutChromium }, () => {
  let dataDir: string;
  let site: ExampleSite | undefined;
  let browser: Browser | undefined;
  let anna: Page;
  let ben: Page;
  const problems: string[] = [];
  /** The paths of the pages whose widgets signed in (`POST /community/api/session`). */
  const signIns = new Map<Page, string[]>();

  const comment = (page: Page, text: string): Locator =>
    page.locator("hearth-thread article.comment", { hasText: text });
  const account = (page: Page) => page.getByRole("navigation", { name: "Account" });
  const bell = (page: Page) =>
    page.locator("hearth-notifications").getByRole("button", { name: /^Notifications/ });

  async function newPage(viewport: { width: number; height: number }): Promise<Page> {
    const context: BrowserContext = await browser!.newContext({
      viewport,
      colorScheme: "light",
      reducedMotion: "reduce",
    });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("request", (request) => {
      if (request.method() === "POST" && request.url().endsWith("/community/api/session")) {
        signIns.set(page, [...(signIns.get(page) ?? []), new URL(page.url()).pathname]);
      }
    });
    page.on("console", (message) => {
      // A refused form answers 401 or 422 on purpose; anything else the console reports
      // (a blocked script or style, a failed request) is a problem.
      if (message.type() === "error" && !/status of 4(01|22)/.test(message.text())) {
        problems.push(`console: ${message.text()} (${message.location().url})`);
      }
    });
    return page;
  }

  async function signUp(page: Page, person: { name: string; email: string }): Promise<void> {
    await page.getByRole("heading", { name: "Join The Allotment Letter" }).waitFor();
    await page.getByRole("textbox", { name: "Your name" }).fill(person.name);
    await page.getByRole("textbox", { name: "Email" }).fill(person.email);
    await page.getByLabel("Password").fill("tomatoes-in-july");
    await page.getByRole("button", { name: "Create account" }).click();
  }

  async function signedInThread(page: Page, name: string): Promise<void> {
    await page
      .locator("hearth-thread")
      .getByText(`Signed in as ${name}`)
      .waitFor({ timeout: 20_000 });
  }

  before(async () => {
    ensureBuilt();
    dataDir = mkdtempSync(join(tmpdir(), "hearth-example-"));
    try {
      site = await startExampleSite(dataDir);
      browser = await launchChromium();
    } catch (error) {
      await site?.stop();
      rmSync(dataDir, { recursive: true, force: true });
      throw error;
    }
    anna = await newPage({ width: 1100, height: 900 });
    ben = await newPage({ width: 390, height: 844 });
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await site?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("lets a visitor join from the front page and read the article with its discussion", async () => {
    await anna.goto(`${site!.url}/`);
    await anna.getByRole("heading", { name: "The Allotment Letter", level: 1 }).waitFor();
    await anna.getByRole("link", { name: "Join", exact: true }).click();
    await assertAccessible(anna, "the sign-up form", ["body"]);

    // A form with mistakes comes back with them named, and the name kept.
    await anna.getByRole("textbox", { name: "Your name" }).fill("Anna Lindqvist");
    await anna.getByRole("textbox", { name: "Email" }).fill("not an address");
    await anna.getByLabel("Password").fill("short");
    await anna.getByRole("button", { name: "Create account" }).click();
    const summary = anna.getByRole("alert");
    await summary.getByText("Enter an email address like name@example.com.").waitFor();
    await summary.getByText("Use at least 10 characters.").waitFor();
    assert.equal(
      await anna.getByRole("textbox", { name: "Your name" }).inputValue(),
      "Anna Lindqvist",
    );
    assert.equal(
      await anna.getByRole("textbox", { name: "Email" }).getAttribute("aria-invalid"),
      "true",
    );
    await assertAccessible(anna, "the sign-up form with errors", ["body"]);

    await signUp(anna, { name: "Anna Lindqvist", email: "anna@example.com" });
    await account(anna).getByText("Anna Lindqvist").waitFor();
    await anna.getByRole("link", { name: ARTICLE }).click();
    await anna.getByRole("heading", { name: ARTICLE, level: 1 }).waitFor();
    await anna.getByText("Leave the jar somewhere warm").waitFor();
    await signedInThread(anna, "Anna Lindqvist");
    await bell(anna).waitFor();
    assert.equal(
      signIns.get(anna)?.filter((path) => path === ARTICLE_PATH).length,
      1,
      "the thread and the bell sign in once, together",
    );
    await anna.getByText("No comments yet. Start the conversation.").waitFor();
    await assertAccessible(anna, "the article with its empty discussion", [
      "body",
      "hearth-thread",
    ]);
  });

  it("shows the rest of the article only to members, and the join form brings them back", async () => {
    await ben.goto(`${site!.url}${ARTICLE_PATH}`);
    await ben.getByRole("heading", { name: "The rest is for members" }).waitFor();
    assert.equal(await ben.getByText("Leave the jar somewhere warm").count(), 0);
    assert.equal(await ben.locator("hearth-thread").count(), 0);
    await assertAccessible(ben, "the article for visitors, at phone width", ["body"]);

    await ben.getByRole("link", { name: "Join", exact: true }).last().click();
    await signUp(ben, { name: "Ben Okafor", email: "ben@example.com" });
    await ben.waitForURL(`${site!.url}${ARTICLE_PATH}`);
    await signedInThread(ben, "Ben Okafor");
  });

  it("tells Anna in the bell when Ben replies to her comment", async () => {
    await anna
      .getByRole("textbox", { name: "Write a comment" })
      .fill("Mine went mouldy on day 3. Normal?");
    await anna.getByRole("button", { name: "Post comment" }).click();
    const annas = comment(anna, "Mine went mouldy on day 3. Normal?");
    await eventually(async () => assert.equal(await annas.getAttribute("aria-busy"), "false"));
    await bell(anna).waitFor();
    assert.equal(await bell(anna).getAttribute("aria-label"), "Notifications");

    await ben.reload();
    const onBens = comment(ben, "Mine went mouldy on day 3. Normal?");
    await onBens.getByRole("button", { name: "Reply" }).click();
    await ben
      .getByRole("textbox", { name: "Reply to Anna Lindqvist" })
      .fill("Yes, that is the fermentation working.");
    await ben.getByRole("button", { name: "Post reply" }).click();
    const reply = comment(ben, "Yes, that is the fermentation working.");
    await eventually(async () => assert.equal(await reply.getAttribute("aria-busy"), "false"));
    await assertAccessible(ben, "the discussion at phone width", ["body", "hearth-thread"]);
    await ben.emulateMedia({ colorScheme: "dark" });
    await assertAccessible(ben, "the discussion at phone width, dark", ["body", "hearth-thread"]);
    await ben.emulateMedia({ colorScheme: "light" });

    // No reload on Anna's page: the bell hears it live.
    const ringing = anna
      .locator("hearth-notifications")
      .getByRole("button", { name: "Notifications, 1 unread" });
    await ringing.waitFor({ timeout: 20_000 });
    await ringing.click();
    const notice = anna.locator("hearth-notifications li", {
      hasText: "Ben Okafor replied to your comment",
    });
    await notice.waitFor();
    await notice.getByText("Yes, that is the fermentation working.").waitFor();
    await assertAccessible(anna, "the open bell", ["hearth-notifications"]);
    await notice.getByRole("link").click();
    await eventually(async () =>
      assert.match(
        (await comment(anna, "Yes, that is the fermentation working.").getAttribute("class")) ?? "",
        /comment--highlighted/,
      ),
    );
  });

  it("keeps the discussion from visitors who are not signed in, and takes no member tokens", async () => {
    const res = await fetch(
      `${site!.url}/community/api/threads/${encodeURIComponent("articles/saving-tomato-seeds")}/comments`,
    );
    assert.equal(res.status, 401);
    // Members come only from the site's session: a token signed with the public demo secret
    // (or any other) is no way in.
    const forged = await fetch(`${site!.url}/community/api/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        token: await signHostToken({ sub: "mallory", roles: ["admin"], secret: DEMO_SSO_SECRET }),
      }),
    });
    assert.equal(forged.status, 401);
  });

  it("signs a member out and back in, and refuses a wrong password", async () => {
    await anna.getByRole("button", { name: "Sign out" }).click();
    await anna.getByRole("link", { name: "Sign in" }).waitFor();
    assert.equal(await anna.locator("hearth-notifications").count(), 0);

    await anna.getByRole("link", { name: "Sign in" }).click();
    await anna.getByRole("textbox", { name: "Email" }).fill("anna@example.com");
    await anna.getByLabel("Password").fill("potatoes-in-june");
    await anna.getByRole("button", { name: "Sign in" }).click();
    await anna.getByRole("alert").getByText("That email and password do not match").waitFor();
    await assertAccessible(anna, "the sign-in form with an error", ["body"]);

    await anna.getByLabel("Password").fill("tomatoes-in-july");
    await anna.getByRole("button", { name: "Sign in" }).click();
    await account(anna).getByText("Anna Lindqvist").waitFor();
    await anna.goto(`${site!.url}${ARTICLE_PATH}`);
    await signedInThread(anna, "Anna Lindqvist");
    await comment(anna, "Yes, that is the fermentation working.").waitFor();
    assert.deepEqual(problems, []);
  });
});
