import { html, nothing, type PropertyValues, type TemplateResult } from "lit";
import { repeat } from "lit/directives/repeat.js";
import { HearthApiError } from "./api.ts";
import { renderCommentBody } from "./comment-body.ts";
import {
  appendPage,
  commentIds,
  countComments,
  findComment,
  findPath,
  insertComment,
  removeComment,
  replaceComment,
  replyLevel,
  updateComment,
} from "./comment-tree.ts";
import {
  HearthCommentDeletedEvent,
  HearthCommentEditedEvent,
  HearthCommentPostedEvent,
} from "./events.ts";
import "./hearth-composer.ts";
import { HearthMemberElement, identityChangedIn } from "./hearth-member-element.ts";
import { threadStyles } from "./hearth-thread.styles.ts";
import { absoluteTime, describeError, relativeTime } from "./i18n/index.ts";
import { renderLoadMore } from "./load-more.ts";
import { base } from "./styles/base.ts";
import { tokens } from "./styles/tokens.ts";
import {
  type Author,
  type Comment,
  type CommentSort,
  DEFAULT_META,
  type Thread,
  type ThreadMeta,
  type ViewerAccess,
} from "./types.ts";

const SORTS: readonly CommentSort[] = ["oldest", "newest", "top"];
const PERMALINK = /^#hearth-comment-(.+)$/;
/** How many further pages a permalink may load to find its comment. */
const MAX_PERMALINK_PAGES = 10;
/** How many parents a permalink may fetch to find its comment's top-level comment. */
const MAX_PERMALINK_PARENTS = 10;
const REACTION_EMOJI: Record<string, string> = {
  like: "👍",
  love: "❤️",
  laugh: "😄",
  insightful: "💡",
};

export type { GetToken } from "./api.ts";

type Status = "loading" | "error" | "ready";

const isTombstone = (comment: Comment) =>
  comment.status === "deleted" || comment.status === "removed";

function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0]!, words.at(-1)!] : words;
  return letters.map((word) => [...word][0]?.toUpperCase() ?? "").join("") || "?";
}

function hue(seed: string): number {
  let hash = 0;
  for (const char of seed) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % 360;
}

/** Only http(s) addresses become images or links. */
const webUrl = (url: string | null) => (url && /^https?:\/\//i.test(url) ? url : null);

/** A link the host gave us, resolved against the page; only http(s). */
function safeLink(url: string | null): string | null {
  if (!url) return null;
  try {
    const resolved = new URL(url, location.href);
    return /^https?:$/.test(resolved.protocol) ? resolved.href : null;
  } catch {
    return null;
  }
}

const isTierError = (error: unknown) =>
  error instanceof HearthApiError && error.code === "tier_required";

/**
 * @summary A threaded discussion for one page of the host site.
 *
 * @slot signed-out - What signed-out readers see instead of the comment box; by default a
 *   short note that they must sign in. Put the host site's sign-in link here.
 *
 * @event hearth-comment-posted - The server accepted a new comment or reply.
 * @event hearth-comment-edited - The viewer edited a comment.
 * @event hearth-comment-deleted - The viewer deleted a comment.
 * @event hearth-session-changed - The signed-in member changed (or signed out).
 *
 * @csspart base - The whole discussion.
 * @csspart header - Heading, count and sort switch.
 * @csspart heading - The heading.
 * @csspart sort - The sort switch.
 * @csspart state - The loading, empty and error messages.
 * @csspart retry-button - The Retry button of the error state.
 * @csspart note - The signed-out and locked notes.
 * @csspart composer - A comment form (also `composer__textarea`, `composer__submit`, …).
 * @csspart comments - The list of top-level comments.
 * @csspart replies - A list of replies.
 * @csspart comment - One comment (with `comment--highlighted`, `comment--pending`).
 * @csspart avatar - An author's picture or initials.
 * @csspart comment__header - Author, time and badges.
 * @csspart comment__author - The author's name.
 * @csspart comment__permalink - The link to the comment, showing its time.
 * @csspart comment__body - The rendered comment.
 * @csspart comment__actions - Reactions and buttons below a comment.
 * @csspart reaction - A reaction button.
 * @csspart reply-button - The Reply button.
 * @csspart edit-button - The Edit button.
 * @csspart delete-button - The Delete button.
 * @csspart load-more-button - The "Load more comments" button.
 * @csspart more-replies-button - The "Show 3 more replies" button below a comment's replies.
 * @csspart linked - The panel with a permalinked comment that is not on the loaded pages.
 * @csspart upgrade - The panel for members whose tier does not include the thread.
 * @csspart upgrade-link - Its link to `upgrade-url`.
 *
 * @cssproperty --hearth-accent - Links, buttons and highlights.
 * @cssproperty --hearth-on-accent - Text on accent-coloured buttons.
 * @cssproperty --hearth-text - Text.
 * @cssproperty --hearth-muted - Secondary text.
 * @cssproperty --hearth-surface - Background.
 * @cssproperty --hearth-border - Borders and dividers.
 * @cssproperty --hearth-danger - Errors and destructive actions.
 * @cssproperty --hearth-radius - Corner radius.
 * @cssproperty --hearth-font - Font family.
 */
export class HearthThread extends HearthMemberElement {
  static override styles = [tokens, base, threadStyles];

  static override properties = {
    thread: {},
    upgradeUrl: { attribute: "upgrade-url" },
    threadTitle: { attribute: "title" },
    url: {},
    sort: { reflect: true },
    pageSize: { type: Number, attribute: "page-size" },
    status: { state: true },
    loadError: { state: true },
    info: { state: true },
    comments: { state: true },
    nextCursor: { state: true },
    meta: { state: true },
    sessionError: { state: true },
    loadingMore: { state: true },
    moreError: { state: true },
    replyTo: { state: true },
    editing: { state: true },
    confirming: { state: true },
    highlighted: { state: true },
    actionError: { state: true },
    announcement: { state: true },
    gate: { state: true },
    access: { state: true },
    writeTier: { state: true },
    repliesError: { state: true },
  };

  /** The host's key for this discussion (page id or slug). */
  declare thread: string;
  /** Where members whose tier does not include this thread can change their membership. */
  declare upgradeUrl: string | null;
  /** The page title, recorded with the first comment (defaults to `document.title`). */
  declare threadTitle: string | null;
  /** The page URL, recorded with the first comment (defaults to the canonical URL). */
  declare url: string | null;
  /** `oldest` (default), `newest` or `top`. */
  declare sort: CommentSort;
  /** Top-level comments per page; the server's default when not set. */
  declare pageSize: number | null;

  declare status: Status;
  declare loadError: unknown;
  declare info: Thread | null;
  declare comments: Comment[];
  declare nextCursor: string | null;
  declare meta: ThreadMeta;
  declare sessionError: unknown;
  declare loadingMore: boolean;
  declare moreError: unknown;
  declare replyTo: string | null;
  declare editing: string | null;
  declare confirming: string | null;
  declare highlighted: string | null;
  declare actionError: { id: string; message: string } | null;
  declare announcement: string;
  /** Why the comments cannot be shown: `members` (sign in to read) or `tier` (another tier). */
  declare gate: "members" | "tier" | null;
  /** What the signed-in member may do here, as the server says. */
  declare access: ViewerAccess | null;
  /** The server refused a write with `tier_required`: the thread is read-only for them. */
  declare writeTier: boolean;
  declare repliesError: { id: string; error: unknown } | null;

  /** The thread whose comments are shown; the composer stays up while they reload. */
  #shownThread: string | null = null;
  #pending = new Set<string>();
  #busy = new Set<string>();
  /** Top-level comments fetched for a permalink, shown in the "linked comment" panel. */
  #linked = new Set<string>();
  /** Bumped on every reload so answers for an earlier one are dropped. */
  #loadId = 0;
  #clock: ReturnType<typeof setInterval> | undefined;

  constructor() {
    super();
    this.thread = "";
    this.upgradeUrl = null;
    this.threadTitle = null;
    this.url = null;
    this.sort = "oldest";
    this.pageSize = null;
    this.status = "loading";
    this.loadError = null;
    this.info = null;
    this.comments = [];
    this.nextCursor = null;
    this.meta = DEFAULT_META;
    this.sessionError = null;
    this.loadingMore = false;
    this.moreError = null;
    this.replyTo = null;
    this.editing = null;
    this.confirming = null;
    this.highlighted = null;
    this.actionError = null;
    this.announcement = "";
    this.gate = null;
    this.access = null;
    this.writeTier = false;
    this.repliesError = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener("hashchange", this.#onHashChange);
    // Keeps "3 minutes ago" true.
    this.#clock = setInterval(() => this.requestUpdate(), 60_000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener("hashchange", this.#onHashChange);
    clearInterval(this.#clock);
  }

  /** Loads the comments again (keeps the session). */
  reload(): Promise<void> {
    return this.#load();
  }

  protected override updated(changed: PropertyValues<this>): void {
    // A new identity reloads through `identityChanged`; otherwise a new thread or sort does.
    const identity = identityChangedIn(changed);
    super.updated(changed);
    if (
      !identity &&
      (changed.has("thread") || (changed.has("sort") && changed.get("sort") !== undefined))
    ) {
      void this.#load();
    }
  }

  // --- Data --------------------------------------------------------------------------------

  protected override identityChanged(): void {
    this.sessionError = null;
    this.replyTo = null;
    this.editing = null;
    this.confirming = null;
    void this.#load();
  }

  /** The `sort` attribute, or `oldest` when it names no known order. */
  get #sort(): CommentSort {
    return SORTS.includes(this.sort) ? this.sort : "oldest";
  }

  async #load(): Promise<void> {
    if (!this.thread) return;
    const loadId = ++this.#loadId;
    if (this.#shownThread !== this.thread) this.#shownThread = null;
    this.status = "loading";
    this.replyTo = null;
    this.editing = null;
    this.confirming = null;
    this.highlighted = null;
    this.loadError = null;
    this.moreError = null;
    this.actionError = null;
    this.repliesError = null;
    this.gate = null;
    this.writeTier = false;
    try {
      const member = await this.api.signIn();
      if (loadId !== this.#loadId) return;
      this.member = member;
      this.sessionError = null;
    } catch (error) {
      if (loadId !== this.#loadId) return;
      this.sessionError = error;
    }
    try {
      const page = await this.api.listComments(this.thread, {
        sort: this.#sort,
        limit: this.pageSize ?? undefined,
      });
      if (loadId !== this.#loadId) return;
      this.info = page.thread;
      this.comments = page.comments;
      this.nextCursor = page.nextCursor;
      this.meta = { ...DEFAULT_META, ...page.meta };
      this.access = page.thread.viewer ?? null;
      if (!this.access && this.member && Array.isArray(page.thread.write)) {
        void this.#checkAccess(loadId);
      }
    } catch (error) {
      if (loadId !== this.#loadId) return;
      const code = error instanceof HearthApiError ? error.code : "";
      if (code === "thread_not_found" || code === "tier_required" || code === "unauthenticated") {
        // Nothing to show, but the thread itself is fine: an empty one is created on the first
        // post (and the server sends its settings along); a closed one explains itself.
        const meta = (error as HearthApiError).details?.meta;
        this.info = null;
        this.comments = [];
        this.nextCursor = null;
        this.meta = { ...DEFAULT_META, ...(meta && typeof meta === "object" ? meta : {}) };
        this.access = null;
        this.gate =
          code === "tier_required" ? "tier" : code === "unauthenticated" ? "members" : null;
      } else {
        this.status = "error";
        this.loadError = error;
        return;
      }
    }
    this.#pending.clear();
    this.#linked.clear();
    this.#shownThread = this.thread;
    this.status = "ready";
    await this.#showHashTarget(loadId);
  }

  async #loadMore(): Promise<number> {
    const cursor = this.nextCursor;
    if (!cursor || this.loadingMore) return 0;
    const loadId = this.#loadId;
    this.loadingMore = true;
    this.moreError = null;
    try {
      const page = await this.api.listComments(this.thread, {
        sort: this.#sort,
        cursor,
        limit: this.pageSize ?? undefined,
      });
      if (loadId !== this.#loadId) return 0;
      const before = this.comments.length;
      this.comments = appendPage(this.comments, page.comments);
      this.nextCursor = page.nextCursor;
      return this.comments.length - before;
    } catch (error) {
      if (loadId === this.#loadId) this.moreError = error;
      return 0;
    } finally {
      this.loadingMore = false;
    }
  }

  async #onLoadMore(): Promise<void> {
    const added = await this.#loadMore();
    if (added > 0) this.#announce(this.t.announceLoaded(added));
  }

  /** Asks whether the member may post here, for threads where only some tiers may. */
  async #checkAccess(loadId: number): Promise<void> {
    try {
      const { thread } = await this.api.getThread(this.thread);
      if (loadId === this.#loadId) this.access = thread.viewer ?? null;
    } catch (error) {
      if (loadId === this.#loadId && isTierError(error)) this.writeTier = true;
    }
  }

  /** Loads all replies of a comment whose page left some off, in place of the ones shown. */
  async #showAllReplies(comment: Comment, focus: boolean): Promise<boolean> {
    const busyKey = `replies:${comment.id}`;
    if (this.#busy.has(busyKey)) return false;
    const loadId = this.#loadId;
    this.#busy.add(busyKey);
    this.repliesError = null;
    this.requestUpdate();
    try {
      const { comment: full } = await this.api.getComment(comment.id);
      if (loadId !== this.#loadId) return false;
      const shown = findComment(this.comments, comment.id);
      const before = new Set(commentIds(shown?.replies ?? []));
      // Replies still being posted are not on the server's list yet; they stay.
      const pending = (shown?.replies ?? []).filter((reply) => this.#pending.has(reply.id));
      this.comments = updateComment(this.comments, comment.id, () => ({
        ...full,
        moreReplies: 0,
        replies: [...full.replies, ...pending],
      }));
      const added = countComments(full.replies) - countComments(shown?.replies ?? []);
      this.#announce(this.t.announceRepliesLoaded(Math.max(added, 0)));
      const first = commentIds(full.replies).find((id) => !before.has(id));
      if (focus && first) await this.#focusComment(first);
      return true;
    } catch (error) {
      if (loadId === this.#loadId) this.repliesError = { id: comment.id, error };
      return false;
    } finally {
      this.#busy.delete(busyKey);
      this.requestUpdate();
    }
  }

  // --- Permalinks ----------------------------------------------------------------------------

  #onHashChange = () => {
    void this.#showHashTarget(this.#loadId);
  };

  async #showHashTarget(loadId: number): Promise<void> {
    const id = PERMALINK.exec(location.hash)?.[1];
    if (!id || this.status !== "ready") return;
    const target = decodeURIComponent(id);
    for (let page = 0; !findComment(this.comments, target) && page < MAX_PERMALINK_PAGES; page++) {
      if (loadId !== this.#loadId) return;
      if (!this.nextCursor) break;
      await this.#loadMore();
      if (this.moreError) return;
    }
    if (!findComment(this.comments, target) && !(await this.#fetchLinked(target, loadId))) return;
    this.highlighted = target;
    await this.updateComplete;
    const element = this.renderRoot.querySelector<HTMLElement>(
      `#${CSS.escape(`hearth-comment-${target}`)}`,
    );
    if (!element) return;
    const smooth = !matchMedia("(prefers-reduced-motion: reduce)").matches;
    element.scrollIntoView({ block: "center", behavior: smooth ? "smooth" : "auto" });
    element.focus({ preventScroll: true });
  }

  /**
   * Finds a permalinked comment that is not on the loaded pages: when its top-level comment is
   * shown, loads all of that comment's replies; otherwise shows the top-level comment with
   * all its replies in the "linked comment" panel. True when the comment is now shown.
   */
  async #fetchLinked(id: string, loadId: number): Promise<boolean> {
    try {
      const { comment: target } = await this.api.getComment(id);
      let top = target;
      for (let hops = 0; top.parentId && hops < MAX_PERMALINK_PARENTS; hops++) {
        if (loadId !== this.#loadId || top.threadKey !== this.thread) return false;
        const shown = findPath(this.comments, top.parentId)?.[0];
        if (shown) {
          return (await this.#showAllReplies(shown, false)) && !!findComment(this.comments, id);
        }
        top = (await this.api.getComment(top.parentId)).comment;
      }
      if (loadId !== this.#loadId || top.threadKey !== this.thread) return false;
      // Too deep to reach its top-level comment: the comment is shown on its own.
      const linked = top.parentId ? target : top;
      this.#linked.add(linked.id);
      this.comments = [
        { ...linked, moreReplies: 0 },
        ...this.comments.filter((comment) => comment.id !== linked.id),
      ];
      return true;
    } catch {
      // Deleted, hidden or not readable: the thread stays as it is.
      return false;
    }
  }

  // --- Actions -------------------------------------------------------------------------------

  #announce(message: string): void {
    // Cleared first so the same message twice is announced twice.
    this.announcement = "";
    requestAnimationFrame(() => {
      this.announcement = message;
    });
  }

  async #focusComment(id: string): Promise<void> {
    await this.updateComplete;
    this.renderRoot
      .querySelector<HTMLElement>(`#${CSS.escape(`hearth-comment-${id}`)}`)
      ?.focus({ preventScroll: false });
  }

  #pageContext(): { title?: string; url?: string } {
    if (this.info) return {};
    const canonical = document.querySelector<HTMLLinkElement>('link[rel="canonical"]')?.href;
    const title = this.threadTitle || document.title;
    const url = this.url || canonical || location.href.split("#")[0];
    return { ...(title ? { title } : {}), ...(url ? { url } : {}) };
  }

  async #post(body: string, idempotencyKey: string, parentId: string | null): Promise<void> {
    const member = this.member;
    const loadId = this.#loadId;
    const tempId = `pending-${idempotencyKey}`;
    const level = parentId ? replyLevel(this.comments, parentId, this.meta.maxDepth) : 0;
    if (member) {
      const optimistic: Comment = {
        id: tempId,
        threadKey: this.thread,
        parentId,
        depth: level,
        author: member,
        html: "",
        body,
        status: "published",
        createdAt: new Date().toISOString(),
        editedAt: null,
        editableUntil: null,
        canEdit: false,
        canDelete: false,
        pinned: false,
        reactions: {},
        myReactions: [],
        replies: [],
      };
      this.#pending.add(tempId);
      this.comments = insertComment(this.comments, optimistic, {
        maxDepth: this.meta.maxDepth,
        newestFirst: this.#sort === "newest",
      });
    }
    try {
      const { comment } = await this.api.postComment(
        this.thread,
        { body, parentId, ...this.#pageContext() },
        idempotencyKey,
      );
      if (loadId !== this.#loadId) return;
      this.#pending.delete(tempId);
      this.comments = findComment(this.comments, tempId)
        ? replaceComment(this.comments, tempId, comment)
        : insertComment(this.comments, comment, {
            maxDepth: this.meta.maxDepth,
            newestFirst: this.#sort === "newest",
          });
      if (this.info && comment.status === "published") {
        this.info = { ...this.info, commentCount: this.info.commentCount + 1 };
      } else if (!this.info) {
        void this.api
          .getThread(this.thread)
          .then(({ thread }) => {
            if (loadId === this.#loadId) this.info = thread;
          })
          .catch(() => {});
      }
      // The reply box closes and focus moves to the reply, unless the reader has moved on.
      const replyBoxOpen = parentId !== null && this.replyTo === parentId;
      if (replyBoxOpen) this.replyTo = null;
      this.#announce(comment.status === "held" ? this.t.announceHeld : this.t.announcePosted);
      this.emit(new HearthCommentPostedEvent(comment));
      if (replyBoxOpen) await this.#focusComment(comment.id);
    } catch (error) {
      this.#pending.delete(tempId);
      this.comments = removeComment(this.comments, tempId);
      if (isTierError(error) && loadId === this.#loadId) {
        // The comment box gives way to the panel, which takes the focus it had.
        this.writeTier = true;
        void this.updateComplete.then(() =>
          this.renderRoot.querySelector<HTMLElement>(".upgrade")?.focus(),
        );
      }
      throw error;
    }
  }

  async #saveEdit(comment: Comment, body: string): Promise<void> {
    const result = await this.api.editComment(comment.id, body);
    this.comments = replaceComment(this.comments, comment.id, result.comment);
    this.editing = null;
    this.#announce(this.t.announceEdited);
    this.emit(new HearthCommentEditedEvent(result.comment));
    await this.#focusComment(comment.id);
  }

  async #delete(comment: Comment): Promise<void> {
    if (this.#busy.has(comment.id)) return;
    this.#busy.add(comment.id);
    this.actionError = null;
    this.requestUpdate();
    try {
      const result = await this.api.deleteComment(comment.id);
      this.confirming = null;
      this.comments = replaceComment(this.comments, comment.id, result.comment);
      if (this.info && comment.status === "published") {
        this.info = { ...this.info, commentCount: Math.max(0, this.info.commentCount - 1) };
      }
      this.#announce(this.t.announceDeleted);
      this.emit(new HearthCommentDeletedEvent(result.comment));
      await this.#focusComment(comment.id);
    } catch (error) {
      this.actionError = { id: comment.id, message: describeError(this.t, error) };
    } finally {
      this.#busy.delete(comment.id);
      this.requestUpdate();
    }
  }

  async #toggleReaction(comment: Comment, kind: string): Promise<void> {
    const busyKey = `${comment.id}:${kind}`;
    if (this.#busy.has(busyKey)) return;
    this.#busy.add(busyKey);
    const on = !comment.myReactions.includes(kind);
    const count = comment.reactions[kind] ?? 0;
    const before = { reactions: comment.reactions, myReactions: comment.myReactions };
    this.actionError = null;
    // Shown at once; the server's numbers replace the guess.
    this.comments = updateComment(this.comments, comment.id, (found) => ({
      ...found,
      reactions: { ...found.reactions, [kind]: Math.max(0, count + (on ? 1 : -1)) },
      myReactions: on
        ? [...found.myReactions, kind]
        : found.myReactions.filter((mine) => mine !== kind),
    }));
    try {
      const state = await this.api.react(comment.id, kind, on);
      this.comments = updateComment(this.comments, comment.id, (found) => ({
        ...found,
        reactions: state.reactions,
        myReactions: state.myReactions,
      }));
    } catch (error) {
      this.comments = updateComment(this.comments, comment.id, (found) => ({
        ...found,
        ...before,
      }));
      this.actionError = { id: comment.id, message: describeError(this.t, error) };
      if (isTierError(error)) this.writeTier = true;
    } finally {
      this.#busy.delete(busyKey);
      this.requestUpdate();
    }
  }

  async #openReply(comment: Comment): Promise<void> {
    this.replyTo = comment.id;
    this.editing = null;
    this.confirming = null;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`#reply-${CSS.escape(comment.id)}`)?.focus();
  }

  async #closeNested(comment: Comment, button: "reply" | "edit" | "delete"): Promise<void> {
    if (button === "reply") this.replyTo = null;
    if (button === "edit") this.editing = null;
    if (button === "delete") this.confirming = null;
    await this.updateComplete;
    this.renderRoot
      .querySelector<HTMLElement>(`#${button}-button-${CSS.escape(comment.id)}`)
      ?.focus();
  }

  async #openEdit(comment: Comment): Promise<void> {
    this.editing = comment.id;
    this.replyTo = null;
    this.confirming = null;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`#edit-${CSS.escape(comment.id)}`)?.focus();
  }

  async #openConfirm(comment: Comment): Promise<void> {
    this.confirming = comment.id;
    this.replyTo = null;
    this.editing = null;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`#confirm-${CSS.escape(comment.id)}`)?.focus();
  }

  #onSortChange(event: Event): void {
    const value = (event.target as HTMLInputElement).value as CommentSort;
    if (SORTS.includes(value)) this.sort = value;
  }

  // --- Rendering -----------------------------------------------------------------------------

  /** The member may read but not post here, because of their tier. */
  get #readOnlyTier(): boolean {
    const access = this.access;
    return (
      this.writeTier ||
      (Boolean(this.member) && access?.canWrite === false && access.reason === "tier_required")
    );
  }

  #renderUpgrade(): TemplateResult {
    const t = this.t;
    const href = safeLink(this.upgradeUrl);
    return html`<section
      class="upgrade"
      part="upgrade"
      tabindex="-1"
      aria-labelledby="upgrade-heading"
    >
      <h3 id="upgrade-heading" class="upgrade__heading">${t.tierHeading}</h3>
      <p>${this.gate === "tier" ? t.tierNoRead : t.tierReadOnly}</p>
      ${
        href
          ? html`<a class="button upgrade__link" part="upgrade-link" href=${href}>${t.tierLink}</a>`
          : nothing
      }
    </section>`;
  }

  /** The author's name; for an author from the Fediverse, a link to their profile there. */
  #renderAuthorName(author: Author): TemplateResult {
    const url = webUrl(author.url ?? null);
    return url
      ? html`<a
          class="comment__author comment__author--remote"
          part="comment__author"
          href=${url}
          rel="ugc nofollow noopener noreferrer"
          >${author.name}</a
        >`
      : html`<span class="comment__author" part="comment__author">${author.name}</span>`;
  }

  #renderAvatar(author: Author | null): TemplateResult {
    if (!author?.name) {
      return html`<span class="avatar avatar--empty" part="avatar" aria-hidden="true"></span>`;
    }
    const src = webUrl(author.avatar);
    return html`<span
      class="avatar"
      part="avatar"
      aria-hidden="true"
      style="--_hue: ${hue(author.id || author.name)}"
      >${src ? html`<img src=${src} alt="" loading="lazy" />` : initials(author.name)}</span
    >`;
  }

  #renderComposer(): TemplateResult | typeof nothing {
    const t = this.t;
    if (this.info?.locked) {
      return html`<p class="note" part="note">${t.locked}</p>`;
    }
    // The panel takes the place of the comments (tier) or of the comment box (read-only).
    if (this.gate === "tier") return nothing;
    if (this.member && this.#readOnlyTier) return this.#renderUpgrade();
    if (!this.member) {
      return html`<div class="note" part="note">
        <slot name="signed-out">${t.signedOut}</slot>
        ${
          this.sessionError
            ? html`<p class="error" role="alert">${describeError(t, this.sessionError)}</p>`
            : nothing
        }
      </div>`;
    }
    return html`<div class="compose">
      ${this.#renderAvatar(this.member)}
      <div class="compose__main">
        <p class="signed-in">${t.signedInAs(this.member.name)}</p>
        <hearth-composer
          exportparts="composer, composer__label, composer__textarea, composer__hint, composer__counter, composer__submit, composer__cancel, composer__error"
          lang=${this.locale}
          optimistic
          .label=${t.composerLabel}
          .submitLabel=${t.post}
          .busyLabel=${t.posting}
          .maxLength=${this.meta.maxLength}
          .submitHandler=${(body: string, key: string) => this.#post(body, key, null)}
        ></hearth-composer>
      </div>
    </div>`;
  }

  #renderReactions(comment: Comment): TemplateResult | typeof nothing {
    const t = this.t;
    const canReact =
      Boolean(this.member) && comment.status === "published" && !this.#pending.has(comment.id);
    const kinds = canReact
      ? this.meta.reactions
      : this.meta.reactions.filter((kind) => (comment.reactions[kind] ?? 0) > 0);
    if (kinds.length === 0) return nothing;
    return html`<span class="reactions" role="group" aria-label=${t.reactionsLabel}>
      ${kinds.map((kind) => {
        const count = comment.reactions[kind] ?? 0;
        const mine = comment.myReactions.includes(kind);
        const label = t.reaction(kind);
        return html`<button
          type="button"
          class="reaction"
          part="reaction"
          aria-pressed=${mine ? "true" : "false"}
          aria-label=${t.reactionCount(label, count)}
          title=${label}
          ?disabled=${!canReact}
          aria-disabled=${this.#busy.has(`${comment.id}:${kind}`) ? "true" : "false"}
          @click=${() => this.#toggleReaction(comment, kind)}
        >
          <span class="reaction__emoji" aria-hidden="true">${REACTION_EMOJI[kind] ?? label}</span>
          <span class="reaction__count" aria-hidden="true">${count > 0 ? count : ""}</span>
        </button>`;
      })}
    </span>`;
  }

  #renderComment(comment: Comment, visualParent: Comment | null, level: number): TemplateResult {
    const t = this.t;
    const pending = this.#pending.has(comment.id);
    const tombstone = isTombstone(comment);
    const own = Boolean(this.member) && comment.author.id === this.member?.id;
    const editing = this.editing === comment.id;
    const highlighted = this.highlighted === comment.id;
    const open = !pending && !tombstone && comment.status === "published";
    const canReply = open && Boolean(this.member) && !this.info?.locked && !this.#readOnlyTier;
    const editWindowOpen = !comment.editableUntil || Date.parse(comment.editableUntil) > Date.now();
    const canEdit =
      own &&
      !pending &&
      !tombstone &&
      comment.canEdit &&
      editWindowOpen &&
      comment.body !== undefined;
    const canDelete = !pending && !tombstone && comment.canDelete;
    const parent =
      comment.parentId && comment.parentId !== visualParent?.id
        ? findComment(this.comments, comment.parentId)
        : null;
    const parts = [
      "comment",
      highlighted ? "comment--highlighted" : "",
      pending ? "comment--pending" : "",
    ].join(" ");
    const classes = [
      "comment",
      highlighted ? "comment--highlighted" : "",
      pending ? "comment--pending" : "",
      comment.status === "held" ? "comment--held" : "",
    ].join(" ");
    const error = this.actionError?.id === comment.id ? this.actionError.message : "";

    let body: TemplateResult;
    if (tombstone) {
      body = html`<p class="comment__tombstone">
        ${comment.status === "removed" ? t.removed : t.deleted}
      </p>`;
    } else if (editing) {
      body = html`<hearth-composer
        id="edit-${comment.id}"
        class="nested-composer"
        compact
        exportparts="composer, composer__label, composer__textarea, composer__hint, composer__counter, composer__submit, composer__cancel, composer__error"
        lang=${this.locale}
        .label=${t.editComposerLabel}
        .value=${comment.body ?? ""}
        .submitLabel=${t.save}
        .busyLabel=${t.saving}
        .maxLength=${this.meta.maxLength}
        .submitHandler=${(text: string) => this.#saveEdit(comment, text)}
        .cancelHandler=${() => this.#closeNested(comment, "edit")}
      ></hearth-composer>`;
    } else if (pending) {
      // Our own text before the server has rendered it: shown as plain text.
      body = html`<div class="comment__body comment__body--pending" part="comment__body">
        ${comment.body}
      </div>`;
    } else {
      body = html`<div class="comment__body" part="comment__body">
        ${renderCommentBody(comment)}
      </div>`;
    }

    return html`<article
        id="hearth-comment-${comment.id}"
        class=${classes}
        part=${parts}
        tabindex="-1"
        aria-busy=${pending ? "true" : "false"}
      >
        ${this.#renderAvatar(tombstone ? null : comment.author)}
        <div class="comment__main">
          <header class="comment__header" part="comment__header">
            ${
              tombstone
                ? nothing
                : html`${this.#renderAuthorName(comment.author)}<span class="comment__handle"
                      >@${comment.author.handle}</span
                    >`
            }
            ${
              pending
                ? html`<span class="badge">${t.posting}</span>`
                : html`<a
                    class="comment__permalink"
                    part="comment__permalink"
                    href="#hearth-comment-${comment.id}"
                    title=${absoluteTime(t, comment.createdAt)}
                    ><time datetime=${comment.createdAt}
                      >${relativeTime(t, comment.createdAt)}</time
                    ></a
                  >`
            }
            ${
              comment.editedAt && !tombstone
                ? html`<span
                    class="comment__edited"
                    title=${absoluteTime(t, comment.editedAt)}
                    >${t.edited}</span
                  >`
                : nothing
            }
            ${comment.pinned ? html`<span class="badge badge--pinned">${t.pinned}</span>` : nothing}
            ${
              comment.status === "held"
                ? html`<span class="badge badge--held">${t.awaitingReview}</span>`
                : nothing
            }
          </header>
          ${
            parent && !isTombstone(parent)
              ? html`<p class="comment__replying-to">${t.replyingTo(parent.author.handle)}</p>`
              : nothing
          }
          ${body}
          ${
            editing || tombstone || pending
              ? nothing
              : html`<div class="comment__actions" part="comment__actions">
                  ${this.#renderReactions(comment)}
                  ${
                    canReply
                      ? html`<button
                          type="button"
                          id="reply-button-${comment.id}"
                          class="link-button"
                          part="reply-button"
                          aria-expanded=${this.replyTo === comment.id ? "true" : "false"}
                          @click=${() =>
                            this.replyTo === comment.id
                              ? this.#closeNested(comment, "reply")
                              : this.#openReply(comment)}
                        >
                          ${t.reply}
                        </button>`
                      : nothing
                  }
                  ${
                    canEdit
                      ? html`<button
                          type="button"
                          id="edit-button-${comment.id}"
                          class="link-button"
                          part="edit-button"
                          @click=${() => this.#openEdit(comment)}
                        >
                          ${t.edit}
                        </button>`
                      : nothing
                  }
                  ${
                    canDelete
                      ? html`<button
                          type="button"
                          id="delete-button-${comment.id}"
                          class="link-button"
                          part="delete-button"
                          aria-expanded=${this.confirming === comment.id ? "true" : "false"}
                          @click=${() => this.#openConfirm(comment)}
                        >
                          ${t.delete}
                        </button>`
                      : nothing
                  }
                </div>`
          }
          ${
            this.confirming === comment.id && !tombstone
              ? html`<div class="confirm" role="group" aria-label=${t.confirmDelete}>
                  <p>${t.confirmDelete}</p>
                  <button
                    type="button"
                    id="confirm-${comment.id}"
                    class="button button--danger"
                    ?disabled=${this.#busy.has(comment.id)}
                    @click=${() => this.#delete(comment)}
                  >
                    ${t.confirmDeleteAction}
                  </button>
                  <button
                    type="button"
                    class="button button--secondary"
                    @click=${() => this.#closeNested(comment, "delete")}
                  >
                    ${t.cancel}
                  </button>
                </div>`
              : nothing
          }
          ${error ? html`<p class="error" role="alert">${error}</p>` : nothing}
          ${
            this.replyTo === comment.id && canReply
              ? html`<hearth-composer
                  id="reply-${comment.id}"
                  class="nested-composer"
                  compact
                  optimistic
                  exportparts="composer, composer__label, composer__textarea, composer__hint, composer__counter, composer__submit, composer__cancel, composer__error"
                  lang=${this.locale}
                  .label=${t.replyComposerLabel(comment.author.name)}
                  .submitLabel=${t.postReply}
                  .busyLabel=${t.posting}
                  .maxLength=${this.meta.maxLength}
                  .submitHandler=${(text: string, key: string) => this.#post(text, key, comment.id)}
                  .cancelHandler=${() => this.#closeNested(comment, "reply")}
                ></hearth-composer>`
              : nothing
          }
        </div>
      </article>
      ${
        comment.replies.length > 0
          ? html`<ol class="replies" part="replies">
              ${repeat(
                comment.replies,
                (reply) => reply.id,
                (reply) => html`<li>${this.#renderComment(reply, comment, level + 1)}</li>`,
              )}
            </ol>`
          : nothing
      }
      ${this.#renderMoreReplies(comment)}`;
  }

  #renderMoreReplies(comment: Comment): TemplateResult | typeof nothing {
    const more = comment.moreReplies ?? 0;
    if (more <= 0) return nothing;
    const t = this.t;
    const busy = this.#busy.has(`replies:${comment.id}`);
    const error = this.repliesError?.id === comment.id ? this.repliesError.error : null;
    return html`<div class="more-replies">
      <button
        type="button"
        id="more-replies-${comment.id}"
        class="link-button"
        part="more-replies-button"
        aria-disabled=${busy ? "true" : "false"}
        @click=${() => this.#showAllReplies(comment, true)}
      >
        ${busy ? t.loadingReplies : t.showMoreReplies(more)}
      </button>
      ${error ? html`<p class="error" role="alert">${describeError(t, error)}</p>` : nothing}
    </div>`;
  }

  #renderList(): TemplateResult {
    const t = this.t;
    if (this.status === "loading") {
      return html`<div class="skeleton" part="state" role="status" aria-busy="true">
        <span class="sr-only">${t.loading}</span>
        ${[0, 1, 2].map(
          () => html`<div class="skeleton__row" aria-hidden="true">
            <span class="skeleton__avatar"></span>
            <span class="skeleton__lines">
              <span class="skeleton__line"></span><span class="skeleton__line"></span>
            </span>
          </div>`,
        )}
      </div>`;
    }
    if (this.status === "error") {
      return html`<div class="state" part="state" role="alert">
        <p>${t.loadFailed}</p>
        <p>${describeError(t, this.loadError)}</p>
        <p>
          <button
            type="button"
            class="button button--secondary"
            part="retry-button"
            @click=${() => this.#load()}
          >
            ${t.retry}
          </button>
        </p>
      </div>`;
    }
    if (this.gate === "tier") return this.#renderUpgrade();
    if (this.gate === "members") {
      return html`<div class="state" part="state"><p>${t.membersOnly}</p></div>`;
    }
    const linked = this.comments.filter((comment) => this.#linked.has(comment.id));
    const main = linked.length
      ? this.comments.filter((comment) => !this.#linked.has(comment.id))
      : this.comments;
    return html`${
      linked.length
        ? html`<section class="linked" part="linked" aria-labelledby="linked-heading">
            <h3 id="linked-heading" class="linked__heading">${t.linkedComment}</h3>
            <ol class="comments">
              ${repeat(
                linked,
                (comment) => comment.id,
                (comment) => html`<li>${this.#renderComment(comment, null, 0)}</li>`,
              )}
            </ol>
          </section>`
        : nothing
    }${this.#renderComments(main)}`;
  }

  #renderComments(comments: Comment[]): TemplateResult {
    const t = this.t;
    if (comments.length === 0 && !this.nextCursor) {
      return html`<div class="state" part="state"><p>${t.empty}</p></div>`;
    }
    return html`<ol class="comments" part="comments">
        ${repeat(
          comments,
          (comment) => comment.id,
          (comment) => html`<li>${this.#renderComment(comment, null, 0)}</li>`,
        )}
      </ol>
      ${
        this.nextCursor
          ? renderLoadMore(t, {
              label: t.loadMore,
              buttonClass: "button button--secondary",
              loading: this.loadingMore,
              error: this.moreError,
              onClick: () => this.#onLoadMore(),
            })
          : nothing
      }`;
  }

  override render() {
    const t = this.t;
    const count = this.info?.commentCount;
    // title="" keeps the host's `title` attribute from showing as a tooltip over everything.
    return html`<section class="base" part="base" aria-labelledby="heading" title="">
      <header class="header" part="header">
        <h2 id="heading" class="heading" part="heading">
          ${t.comments}${
            count !== undefined && count > 0 ? html`<span class="count">${count}</span>` : nothing
          }
        </h2>
        <fieldset class="sort" part="sort" @change=${this.#onSortChange}>
          <legend class="sr-only">${t.sortLabel}</legend>
          ${SORTS.map(
            (sort) => html`<label>
              <input type="radio" name="sort" value=${sort} .checked=${this.#sort === sort} />
              <span>${sort === "oldest" ? t.sortOldest : sort === "newest" ? t.sortNewest : t.sortTop}</span>
            </label>`,
          )}
        </fieldset>
      </header>
      ${
        this.status === "ready" || (this.status === "loading" && this.#shownThread)
          ? this.#renderComposer()
          : nothing
      }
      ${this.#renderList()}
      <div class="sr-only" role="status" aria-live="polite">${this.announcement}</div>
    </section>`;
  }
}

HearthMemberElement.define("hearth-thread", HearthThread);

declare global {
  interface HTMLElementTagNameMap {
    "hearth-thread": HearthThread;
  }
}
