/**
 * The demo at /demo: an article on a made-up membership site with Hearth embedded the way
 * a host site would do it (one script tag, `<hearth-count>` and `<hearth-thread>`), plus
 * demo controls to switch the member, the language and the theme. The controls can also be
 * set in the query string: `/demo?member=<id>|none&lang=de&theme=dark`.
 */

export interface DemoPageOptions {
  members: { id: string; name: string; role: string }[];
  threadKey: string;
  /** The path Hearth is mounted at ("" on its own server), so every link works under it. */
  base: string;
  /** The Content-Security-Policy nonce of this response, for the page's inline script. */
  nonce: string;
}

export const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

const tokenUrl = (base: string, memberId: string) =>
  `${base}/demo/token/${encodeURIComponent(memberId)}`;

export const STYLES = `
  :root {
    --page-bg: #f7f3ec;
    --page-card: #fffdf9;
    --page-text: #2b2520;
    --page-muted: #6d6259;
    --page-line: #e7dfd3;
    --page-accent: #a4481f;
    --page-bar: #2b2520;
    --page-bar-text: #f7f3ec;
    --hearth-accent: var(--page-accent);
    --hearth-surface: var(--page-card);
    --hearth-text: var(--page-text);
    --hearth-muted: var(--page-muted);
    --hearth-border: var(--page-line);
    --hearth-font: "Inter", ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
    color-scheme: light;
  }
  @media (prefers-color-scheme: dark) {
    :root:not([data-theme="light"]) {
      --page-bg: #14110e;
      --page-card: #1c1814;
      --page-text: #ece5da;
      --page-muted: #a89c8f;
      --page-line: #332c25;
      --page-accent: #f08a5d;
      --page-bar: #0c0a08;
      color-scheme: dark;
    }
  }
  :root[data-theme="dark"] {
    --page-bg: #14110e;
    --page-card: #1c1814;
    --page-text: #ece5da;
    --page-muted: #a89c8f;
    --page-line: #332c25;
    --page-accent: #f08a5d;
    --page-bar: #0c0a08;
    color-scheme: dark;
  }
  * { box-sizing: border-box; }
  body {
    margin: 0;
    background: var(--page-bg);
    color: var(--page-text);
    font: 18px/1.7 Charter, "Bitstream Charter", "Iowan Old Style", Georgia, serif;
  }
  a { color: var(--page-accent); }
  :focus-visible { outline: 2px solid var(--page-accent); outline-offset: 2px; }

  .demo-bar {
    background: var(--page-bar);
    color: var(--page-bar-text);
    font: 14px/1.4 ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  }
  .demo-bar form {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.75rem 1.75rem;
    max-width: 60rem;
    margin: 0 auto;
    padding: 0.65rem 1.25rem;
  }
  .demo-bar strong {
    padding: 0.1rem 0.5rem;
    border-radius: 4px;
    background: var(--page-accent);
    color: #fff;
    font-size: 12px;
    letter-spacing: 0.06em;
    text-transform: uppercase;
  }
  .demo-bar fieldset {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.35rem 0.8rem;
    margin: 0;
    padding: 0;
    border: 0;
  }
  .demo-bar legend {
    float: left;
    margin-right: 0.25rem;
    opacity: 0.7;
  }
  .demo-bar label { display: inline-flex; align-items: center; gap: 0.3rem; cursor: pointer; }
  .demo-bar input { accent-color: var(--page-accent); margin: 0; }
  .demo-bar select {
    font: inherit;
    padding: 0.15rem 0.4rem;
    border-radius: 4px;
    border: 1px solid #6d6259;
    background: #3a322b;
    color: inherit;
  }

  .site-header {
    border-bottom: 1px solid var(--page-line);
    background: var(--page-card);
  }
  .site-header > div {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: 1rem;
    max-width: 46rem;
    margin: 0 auto;
    padding: 1.1rem 1.25rem;
  }
  .logo {
    color: var(--page-text);
    font-size: 1.35rem;
    font-weight: 700;
    font-style: italic;
    letter-spacing: -0.01em;
    text-decoration: none;
  }
  .site-header nav {
    display: flex;
    margin-left: auto;
    gap: 1.25rem;
    font: 15px/1.4 ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  }
  .site-header nav a { color: var(--page-muted); text-decoration: none; }
  .site-header nav a:hover { color: var(--page-text); }

  main { max-width: 46rem; margin: 0 auto; padding: 3rem 1.25rem 4rem; }
  .kicker {
    margin: 0 0 0.75rem;
    color: var(--page-accent);
    font: 600 13px/1.4 ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
    letter-spacing: 0.08em;
    text-transform: uppercase;
  }
  h1 {
    margin: 0 0 1rem;
    font-size: clamp(2rem, 5vw, 2.8rem);
    line-height: 1.15;
    letter-spacing: -0.02em;
  }
  .byline {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem 0.6rem;
    margin: 0 0 2.25rem;
    color: var(--page-muted);
    font: 15px/1.5 ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  }
  .byline a { color: inherit; }
  .lede { font-size: 1.2rem; color: var(--page-muted); }
  article p { margin: 0 0 1.3rem; }
  article h2 { margin: 2.2rem 0 0.8rem; font-size: 1.4rem; }
  blockquote {
    margin: 1.8rem 0;
    padding: 0.2rem 0 0.2rem 1.25rem;
    border-left: 3px solid var(--page-accent);
    font-style: italic;
    color: var(--page-muted);
  }
  .discussion {
    margin-top: 3.5rem;
    padding: 1.75rem;
    border: 1px solid var(--page-line);
    border-radius: 14px;
    background: var(--page-card);
    box-shadow: 0 1px 2px rgb(0 0 0 / 0.03), 0 8px 24px -12px rgb(0 0 0 / 0.08);
  }
  footer {
    max-width: 46rem;
    margin: 0 auto;
    padding: 0 1.25rem 3rem;
    color: var(--page-muted);
    font: 14px/1.5 ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  }
  @media (max-width: 560px) {
    .discussion { padding: 1.1rem; margin-left: -0.5rem; margin-right: -0.5rem; }
    .site-header nav { display: none; }
  }
`;

/** Runs before the widgets load, so the first request already uses the chosen member. */
const SCRIPT = `
  const thread = document.querySelector("hearth-thread");
  const bell = document.querySelector("hearth-notifications");
  const widgets = document.querySelectorAll("hearth-thread, hearth-count, hearth-notifications");
  const form = document.getElementById("demo-controls");
  const params = new URLSearchParams(location.search);

  function applyMember(id) {
    for (const widget of [thread, bell]) {
      if (id) widget.setAttribute("token-url", document.body.dataset.base + "/demo/token/" + encodeURIComponent(id));
      else widget.removeAttribute("token-url");
    }
  }
  function applyLang(lang) {
    for (const widget of widgets) widget.setAttribute("lang", lang);
  }
  function applyTheme(theme) {
    if (theme === "light" || theme === "dark") {
      document.documentElement.dataset.theme = theme;
      thread.setAttribute("theme", theme);
      bell.setAttribute("theme", theme);
    } else {
      delete document.documentElement.dataset.theme;
      thread.removeAttribute("theme");
      bell.removeAttribute("theme");
    }
  }
  function remember(name, value, fallback) {
    const url = new URL(location.href);
    if (value === fallback) url.searchParams.delete(name);
    else url.searchParams.set(name, value);
    history.replaceState(history.state, "", url);
  }

  const member = params.get("member");
  if (member !== null) {
    const input = form.querySelector('input[name="member"][value="' + CSS.escape(member === "none" ? "" : member) + '"]');
    if (input) { input.checked = true; applyMember(input.value); }
  }
  const language = form.elements.namedItem("language");
  const lang = params.get("lang");
  if (lang && language.querySelector('option[value="' + CSS.escape(lang) + '"]')) {
    language.value = lang;
    applyLang(lang);
  }
  const theme = params.get("theme");
  if (theme === "light" || theme === "dark") {
    form.querySelector('input[name="theme"][value="' + theme + '"]').checked = true;
    applyTheme(theme);
  }

  form.addEventListener("change", (event) => {
    const input = event.target;
    if (input.name === "member") {
      applyMember(input.value);
      remember("member", input.value || "none", form.dataset.firstMember);
    } else if (input.name === "language") {
      applyLang(input.value);
      remember("lang", input.value, "en");
    } else if (input.name === "theme") {
      applyTheme(input.value);
      remember("theme", input.value, "auto");
    }
  });
  form.addEventListener("submit", (event) => event.preventDefault());
`;

/** The whole demo page. */
export function renderDemoPage(opts: DemoPageOptions): string {
  const first = opts.members[0];
  const key = escapeHtml(opts.threadKey);
  const base = escapeHtml(opts.base);
  const nonce = escapeHtml(opts.nonce);
  const memberChoices = opts.members
    .map(
      (member, index) =>
        `<label><input type="radio" name="member" value="${escapeHtml(member.id)}"${
          index === 0 ? " checked" : ""
        }> ${escapeHtml(member.name)}${
          member.role === "member" ? "" : ` <small>(${escapeHtml(member.role)})</small>`
        }</label>`,
    )
    .join("\n          ");
  const tokenAttribute = first ? ` token-url="${escapeHtml(tokenUrl(opts.base, first.id))}"` : "";

  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Why slow dough makes better bread · The Slow Bread Journal</title>
  <meta name="description" content="A Hearth demo: a members' article with its discussion.">
  <link rel="canonical" href="${base}/demo">
  <style>${STYLES}</style>
</head>
<body data-base="${base}">
  <aside class="demo-bar" aria-label="Demo controls">
    <form id="demo-controls" data-first-member="${escapeHtml(first?.id ?? "")}">
      <strong>Hearth demo</strong>
      <fieldset>
        <legend>View as</legend>
          ${memberChoices}
          <label><input type="radio" name="member" value=""${first ? "" : " checked"}> Signed out</label>
      </fieldset>
      <label>Language
        <select name="language">
          <option value="en">English</option>
          <option value="de">Deutsch</option>
          <option value="fr">Français</option>
        </select>
      </label>
      <fieldset>
        <legend>Theme</legend>
        <label><input type="radio" name="theme" value="auto" checked> Auto</label>
        <label><input type="radio" name="theme" value="light"> Light</label>
        <label><input type="radio" name="theme" value="dark"> Dark</label>
      </fieldset>
    </form>
  </aside>

  <header class="site-header">
    <div>
      <a class="logo" href="${base}/demo">The Slow Bread Journal</a>
      <nav aria-label="Site">
        <a href="${base}/demo">Journal</a>
        <a href="${base}/demo">Recipes</a>
        <a href="${base}/demo/moderation">Moderation</a>
      </nav>
      <hearth-notifications${tokenAttribute}></hearth-notifications>
    </div>
  </header>

  <main>
    <article>
      <p class="kicker">Members' essay · Sourdough</p>
      <h1>Why slow dough makes better bread</h1>
      <p class="byline">
        <span>By Ilse Baumann</span><span aria-hidden="true">·</span>
        <span>8 min read</span><span aria-hidden="true">·</span>
        <a href="#comments"><hearth-count thread="${key}"></hearth-count></a>
      </p>

      <p class="lede">A starter is a small, patient ecosystem. Give it time and it will do
      most of the work that kneading, sugar and commercial yeast try to rush.</p>

      <p>Every sourdough loaf begins long before the oven. Wild yeasts and lactic acid bacteria
      live together in the starter, feeding on flour and water. The yeasts make the gas that
      lifts the dough; the bacteria make the acids that give it flavour and help it keep. A
      cold, slow proof lets both do their work in balance.</p>

      <h2>Time is an ingredient</h2>
      <p>When you shorten the rise, you shorten the conversation between flour and microbes.
      Enzymes need hours to turn starch into the sugars that brown the crust. Gluten relaxes and
      organises itself with a few gentle folds instead of ten minutes of kneading. Twelve hours
      in the fridge will do more for your crumb than any improver.</p>

      <blockquote>Bake on the day you have time; mix on the day before.</blockquote>

      <h2>A rhythm that fits a week</h2>
      <p>Feed the starter in the morning, mix in the evening, shape before bed, and bake with
      the first coffee. Members have shared dozens of schedules in our workshops; the best ones
      are the ones you will actually keep. Tell us below how your week of bread looks, what your
      starter is called, and what went wrong the first time.</p>
    </article>

    <section id="comments" class="discussion" aria-label="Discussion">
      <hearth-thread thread="${key}"${tokenAttribute}></hearth-thread>
    </section>
  </main>

  <footer>The Slow Bread Journal is a demo site. Its discussion runs on Hearth.</footer>

  <script type="module" nonce="${nonce}">${SCRIPT}</script>
  <script type="module" src="${base}/widgets/hearth.js"></script>
</body>
</html>
`;
}
