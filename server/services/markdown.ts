/**
 * Comment Markdown to safe HTML. Raw HTML in the source is shown as text, images become
 * links, and the output passes a small allow-list; links get rel="nofollow ugc noopener
 * noreferrer". This is the only place comment HTML is made.
 */
import { Marked, type Tokens } from "marked";
import sanitizeHtml from "sanitize-html";

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

const marked = new Marked({
  gfm: true,
  breaks: true,
  async: false,
  renderer: {
    html(token: Tokens.HTML | Tokens.Tag) {
      return escapeHtml(token.text);
    },
    image(token: Tokens.Image) {
      return `<a href="${escapeHtml(token.href)}">${escapeHtml(token.text || token.href)}</a>`;
    },
  },
});

const sanitizeOptions: sanitizeHtml.IOptions = {
  allowedTags: [
    "p",
    "br",
    "strong",
    "em",
    "del",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "hr",
  ],
  allowedAttributes: { a: ["href", "rel"], ol: ["start"] },
  allowedSchemes: ["http", "https", "mailto"],
  allowProtocolRelative: false,
  disallowedTagsMode: "escape",
  transformTags: {
    a: (tagName, attribs) => ({
      tagName,
      attribs: { ...attribs, rel: "nofollow ugc noopener noreferrer" },
    }),
    h1: "p",
    h2: "p",
    h3: "p",
    h4: "p",
    h5: "p",
    h6: "p",
  },
};

/** Renders comment Markdown to sanitized HTML. */
export function renderMarkdown(source: string): string {
  let html: string;
  try {
    html = marked.parse(source) as string;
  } catch (error) {
    // Markdown nested thousands deep (`> > > …`, `*****…`) exhausts the parser's stack:
    // such a comment is shown as the text it is rather than refused.
    if (!(error instanceof RangeError)) throw error;
    html = plainParagraphs(source);
  }
  return sanitizeHtml(html, sanitizeOptions).trim();
}

/** Text as paragraphs (at blank lines) and line breaks, with nothing read as Markdown. */
function plainParagraphs(source: string): string {
  return source
    .split(/\n[ \t]*\n\s*/)
    .map((paragraph) => `<p>${escapeHtml(paragraph).replaceAll("\n", "<br />")}</p>`)
    .join("\n");
}

/**
 * Sanitizes the HTML of a Note from the Fediverse with the same allow-list as local
 * comments (mentions and hashtags become plain links).
 */
export function sanitizeRemoteHtml(html: string): string {
  return sanitizeHtml(html, { ...sanitizeOptions, disallowedTagsMode: "discard" }).trim();
}

/** The text of a Note's HTML, kept as the comment's source. */
export function htmlToText(html: string): string {
  return sanitizeHtml(html.replace(/<br\s*\/?>/gi, "\n").replace(/<\/p>\s*<p>/gi, "\n\n"), {
    allowedTags: [],
    allowedAttributes: {},
  })
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .trim();
}
