/**
 * The demo's moderation page at /demo/moderation: the Slow Bread Journal's back office
 * with `<hearth-moderation>` for the demo moderator. Language and theme follow the query
 * string like the demo page: `/demo/moderation?lang=de&theme=dark`.
 */
import { escapeHtml, STYLES } from "./demo-page.ts";

export interface ModerationPageOptions {
  /** The demo member who moderates. */
  moderator: { id: string; name: string };
  /** The path Hearth is mounted at ("" on its own server). */
  base: string;
  /** The Content-Security-Policy nonce of this response, for the page's inline script. */
  nonce: string;
}

const PAGE_STYLES = `
  main.desk { max-width: 72rem; }
  .desk h1 { font-size: 1.8rem; }
  .desk-card {
    padding: 1.5rem;
    border: 1px solid var(--page-line);
    border-radius: 14px;
    background: var(--page-card);
  }
`;

const SCRIPT = `
  const params = new URLSearchParams(location.search);
  const widgets = document.querySelectorAll("hearth-moderation, hearth-notifications");
  const lang = params.get("lang");
  if (lang === "en" || lang === "de" || lang === "fr") {
    document.documentElement.lang = lang;
    for (const widget of widgets) widget.setAttribute("lang", lang);
  }
  const theme = params.get("theme");
  if (theme === "light" || theme === "dark") {
    document.documentElement.dataset.theme = theme;
    for (const widget of widgets) widget.setAttribute("theme", theme);
  }
`;

export function renderModerationPage(opts: ModerationPageOptions): string {
  const tokenUrl = `${opts.base}/demo/token/${encodeURIComponent(opts.moderator.id)}`;
  const base = escapeHtml(opts.base);
  const nonce = escapeHtml(opts.nonce);
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Moderation · The Slow Bread Journal</title>
  <style>${STYLES}${PAGE_STYLES}</style>
</head>
<body>
  <header class="site-header">
    <div>
      <a class="logo" href="${base}/demo">The Slow Bread Journal</a>
      <nav aria-label="Site">
        <a href="${base}/demo">Journal</a>
        <a href="${base}/demo/moderation" aria-current="page">Moderation</a>
      </nav>
      <hearth-notifications token-url="${escapeHtml(tokenUrl)}"></hearth-notifications>
    </div>
  </header>
  <main class="desk">
    <h1>Community desk</h1>
    <p>Signed in as ${escapeHtml(opts.moderator.name)}, moderator.
      <a href="${base}/demo?member=${escapeHtml(encodeURIComponent(opts.moderator.id))}">Back to the article</a></p>
    <div class="desk-card">
      <hearth-moderation token-url="${escapeHtml(tokenUrl)}"></hearth-moderation>
    </div>
  </main>
  <script type="module" nonce="${nonce}">${SCRIPT}</script>
  <script type="module" src="${base}/widgets/hearth.js"></script>
</body>
</html>
`;
}
