import { unsafeHTML } from "lit/directives/unsafe-html.js";
import type { Comment } from "./types.ts";

/**
 * The one place where the widgets render HTML from the server unescaped.
 *
 * `comment.html` is produced by the Hearth server alone: it renders the Markdown with
 * `marked`, shows raw HTML in the source as text, and passes the result through
 * `sanitize-html` with a small allow-list (paragraphs, emphasis, code, quotes, lists, and
 * links limited to http, https and mailto). Every other string from the server (names,
 * handles, Markdown sources, error messages) is bound as text by Lit and never reaches
 * `innerHTML`. Keep it that way: do not call `unsafeHTML` anywhere else.
 */
export function renderCommentBody(comment: Pick<Comment, "html">) {
  return unsafeHTML(comment.html);
}
