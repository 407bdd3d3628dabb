/**
 * The site's pages as HTML strings. Every value put into a page goes through `html`, which
 * escapes it, unless it is already a `Safe` piece made by `html` itself.
 */

class Safe {
  /** @param {string} text */
  constructor(text) {
    this.text = text;
  }
  toString() {
    return this.text;
  }
}

/** @param {unknown} value */
function escapeHtml(value) {
  if (value instanceof Safe) return value.text;
  if (Array.isArray(value)) return value.map(escapeHtml).join("");
  if (value === null || value === undefined || value === false) return "";
  return String(value)
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/**
 * A template tag: `html\`<p>${text}</p>\`` escapes `text`.
 * @param {TemplateStringsArray} strings
 * @param {unknown[]} values
 */
export function html(strings, ...values) {
  let out = strings[0] ?? "";
  values.forEach((value, i) => {
    out += escapeHtml(value) + (strings[i + 1] ?? "");
  });
  return new Safe(out);
}

export const SITE_NAME = "The Allotment Letter";

/**
 * @typedef {import("./users.js").User} User
 * @typedef {import("./articles.js").Article} Article
 */

/**
 * The frame of every page: header with the site's name, the member's name and the
 * notification bell (for members), and the main content.
 * @param {{title: string, user: User | null, body: Safe, path?: string, canonical?: string}} page
 */
export function layout({ title, user, body, path = "/", canonical }) {
  const next = encodeURIComponent(path);
  return `<!doctype html>${html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title === SITE_NAME ? title : `${title} · ${SITE_NAME}`}</title>
${canonical ? html`<link rel="canonical" href="${canonical}">` : ""}
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/site.css">
${user ? html`<script type="module" src="/community/widgets/hearth.js"></script>` : ""}
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site-header">
  <a class="brand" href="/">${SITE_NAME}</a>
  <nav aria-label="Account">
    ${
      user
        ? html`<span class="who">Signed in as <strong>${user.name}</strong></span>
    <hearth-notifications></hearth-notifications>
    <form method="post" action="/signout" class="inline"><button type="submit" class="link">Sign out</button></form>`
        : html`<a href="/signin?next=${next}">Sign in</a>
    <a class="button" href="/signup?next=${next}">Join</a>`
    }
  </nav>
</header>
<main id="main">
${body}
</main>
<footer class="site-footer"><p>${SITE_NAME}: notes from a small plot, for members.</p></footer>
</body>
</html>`}`;
}

/** @param {{user: User | null, articles: Article[]}} data */
export function homePage({ user, articles }) {
  return layout({
    title: SITE_NAME,
    user,
    body: html`<h1>${SITE_NAME}</h1>
<p class="lede">Seasonal notes for people who grow their own, and a place to talk about them.</p>
<ul class="articles">
  ${articles.map(
    (article) => html`<li>
    <h2><a href="/articles/${article.slug}">${article.title}</a></h2>
    <p class="meta"><time datetime="${article.date}">${formatDate(article.date)}</time> · for members</p>
    <p>${article.paragraphs[0]}</p>
  </li>`,
  )}
</ul>
${user ? "" : html`<p class="join">Members read every article in full and discuss them. <a href="/signup">Join for free</a>.</p>`}`,
  });
}

/**
 * A members-only article: in full with its discussion for members, its first paragraph and
 * an invitation for everyone else.
 * @param {{user: User | null, article: Article, url: string}} data
 */
export function articlePage({ user, article, url }) {
  const path = `/articles/${article.slug}`;
  const next = encodeURIComponent(path);
  const body = user
    ? html`<article>
  <h1>${article.title}</h1>
  <p class="meta"><time datetime="${article.date}">${formatDate(article.date)}</time></p>
  ${article.paragraphs.map((paragraph) => html`<p>${paragraph}</p>`)}
</article>
<section class="discussion" aria-labelledby="discussion-title">
  <h2 id="discussion-title">Discussion</h2>
  <hearth-thread thread="articles/${article.slug}" title="${article.title}" url="${url}">
    <a slot="signed-out" href="/signin?next=${next}">Sign in to join the discussion</a>
  </hearth-thread>
</section>`
    : html`<article>
  <h1>${article.title}</h1>
  <p class="meta"><time datetime="${article.date}">${formatDate(article.date)}</time></p>
  <p>${article.paragraphs[0]}</p>
</article>
<aside class="paywall" aria-labelledby="paywall-title">
  <h2 id="paywall-title">The rest is for members</h2>
  <p>Join for free to read on and talk about it with other members.</p>
  <p><a class="button" href="/signup?next=${next}">Join</a> or <a href="/signin?next=${next}">sign in</a></p>
</aside>`;
  return layout({ title: article.title, user, body, path, canonical: url });
}

/**
 * @typedef {object} FormState
 * @property {string} next where to go after
 * @property {Record<string, string>} [values] what the visitor typed (never the password)
 * @property {Record<string, string>} [errors] by field name
 * @property {string} [message] an error about the whole form
 */

/** @param {{user: User | null} & FormState} state */
export function signUpPage({ user, next, values = {}, errors = {} }) {
  return layout({
    title: "Join",
    user,
    path: "/signup",
    body: html`<h1>Join ${SITE_NAME}</h1>
<form method="post" action="/signup" class="account-form" novalidate>
  <input type="hidden" name="next" value="${next}">
  ${errorSummary(errors)}
  ${field({ name: "name", label: "Your name", hint: "Shown with your comments.", autocomplete: "name", value: values.name, error: errors.name })}
  ${field({ name: "email", label: "Email", type: "email", hint: "For signing in and replies to your comments; never shown.", autocomplete: "email", value: values.email, error: errors.email })}
  ${field({ name: "password", label: "Password", type: "password", hint: "At least 10 characters.", autocomplete: "new-password", error: errors.password })}
  <button type="submit">Create account</button>
</form>
<p>Already a member? <a href="/signin?next=${encodeURIComponent(next)}">Sign in</a></p>`,
  });
}

/** @param {{user: User | null} & FormState} state */
export function signInPage({ user, next, values = {}, message }) {
  return layout({
    title: "Sign in",
    user,
    path: "/signin",
    body: html`<h1>Sign in</h1>
<form method="post" action="/signin" class="account-form" novalidate>
  <input type="hidden" name="next" value="${next}">
  ${message ? html`<div class="error-summary" role="alert"><p>${message}</p></div>` : ""}
  ${field({ name: "email", label: "Email", type: "email", autocomplete: "username", value: values.email })}
  ${field({ name: "password", label: "Password", type: "password", autocomplete: "current-password" })}
  <button type="submit">Sign in</button>
</form>
<p>New here? <a href="/signup?next=${encodeURIComponent(next)}">Join for free</a></p>`,
  });
}

/** @param {{user: User | null, title: string, text: string}} data */
export function messagePage({ user, title, text }) {
  return layout({
    title,
    user,
    body: html`<h1>${title}</h1><p>${text}</p><p><a href="/">Back to the front page</a></p>`,
  });
}

/**
 * A labelled input with its hint and error, tied together with aria-describedby.
 * @param {{name: string, label: string, type?: string, hint?: string, autocomplete: string, value?: string | undefined, error?: string | undefined}} input
 */
function field({ name, label, type = "text", hint, autocomplete, value, error }) {
  const described = [hint && `${name}-hint`, error && `${name}-error`].filter(Boolean).join(" ");
  return html`<div class="field${error ? " field--error" : ""}">
    <label for="${name}">${label}</label>
    ${hint ? html`<p class="hint" id="${name}-hint">${hint}</p>` : ""}
    ${error ? html`<p class="error" id="${name}-error">${error}</p>` : ""}
    <input id="${name}" name="${name}" type="${type}" autocomplete="${autocomplete}" required${
      value !== undefined && type !== "password" ? html` value="${value}"` : ""
    }${described ? html` aria-describedby="${described}"` : ""}${error ? html` aria-invalid="true"` : ""}>
  </div>`;
}

/** @param {Record<string, string>} errors */
function errorSummary(errors) {
  const entries = Object.entries(errors);
  if (entries.length === 0) return "";
  return html`<div class="error-summary" role="alert" tabindex="-1">
    <h2>Please check the form</h2>
    <ul>${entries.map(([name, text]) => html`<li><a href="#${name}">${text}</a></li>`)}</ul>
  </div>`;
}

/** @param {string} date */
function formatDate(date) {
  return new Date(`${date}T12:00:00Z`).toLocaleDateString("en-GB", {
    day: "numeric",
    month: "long",
    year: "numeric",
  });
}
