/** Shared pieces of the browser tests: launching Chromium, waiting, host pages. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";

export const CHROMIUM = process.env.HEARTH_CHROMIUM ?? "/usr/bin/chromium";

/** Why the browser tests cannot run here, or false when they can. */
export const skipWithoutChromium: string | false = !existsSync(CHROMIUM) && `no ${CHROMIUM}`;

const root = fileURLToPath(new URL("../..", import.meta.url));

/** Builds the widgets bundle when it is missing (npm test builds it first). */
export function ensureBundle(): void {
  if (existsSync(`${root}/dist/widgets/hearth.js`)) return;
  const build = spawnSync(process.execPath, ["--import", "tsx", "widgets/build.ts"], {
    cwd: root,
    encoding: "utf8",
  });
  assert.equal(build.status, 0, build.stderr);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/** Retries an assertion until it passes or the time is up. */
export async function eventually(
  check: () => Promise<void> | void,
  timeoutMs = 5_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/**
 * Serves a plain host page at `<server>/<path>` (answered by the browser, so it shares the
 * server's origin) that loads the real bundle from the server.
 */
export async function openHostPage(
  page: Page,
  server: string,
  body: string,
  options: { path?: string; hash?: string; lang?: string } = {},
): Promise<void> {
  const url = `${server}/${options.path ?? "host-page"}`;
  await page.route(url, (route) =>
    route.fulfill({
      contentType: "text/html",
      body: `<!doctype html><html lang="${options.lang ?? "en"}"><head><meta charset="utf-8">
        <title>Host page</title></head><body>${body}
        <script type="module" src="/widgets/hearth.js"></script></body></html>`,
    }),
  );
  await page.goto(url + (options.hash ?? ""));
}

/** The tags of every element in the thread's shadow root and the shadow roots inside it. */
export function shadowTags(page: Page): Promise<string[]> {
  // No named inner functions: the page gets this source as it is.
  return page.evaluate(() => {
    const tags: string[] = [];
    const roots: ShadowRoot[] = [];
    const host = document.querySelector("hearth-thread");
    if (host?.shadowRoot) roots.push(host.shadowRoot);
    for (let root = roots.pop(); root; root = roots.pop()) {
      for (const element of root.querySelectorAll("*")) {
        tags.push(element.localName);
        if (element.shadowRoot) roots.push(element.shadowRoot);
      }
    }
    return tags;
  });
}

const axeSource = fileURLToPath(import.meta.resolve("axe-core/axe.min.js"));
let axeText: string | undefined;
const axeScript = () => {
  axeText ??= readFileSync(axeSource, "utf8");
  return axeText;
};

/**
 * Runs axe on the widgets of the page (their shadow roots included) and fails with the
 * rule ids and targets of any violation.
 */
export async function assertAccessible(
  page: Page,
  state: string,
  widgets: string[] = ["hearth-thread", "hearth-count"],
): Promise<void> {
  // Evaluated rather than added as a script tag: the page's Content-Security-Policy allows
  // only its own scripts, and axe is the test's.
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(axeScript());
  const violations = await page.evaluate(async (selectors) => {
    const axe = (window as unknown as { axe: typeof import("axe-core") }).axe;
    const result = await axe.run(
      { include: selectors.map((selector) => [selector]) },
      { resultTypes: ["violations"] },
    );
    return result.violations.map(
      (violation) =>
        `${violation.id}: ${violation.nodes.map((node) => JSON.stringify(node.target)).join(", ")}`,
    );
  }, widgets);
  assert.deepEqual(violations, [], `axe violations when ${state}`);
}
