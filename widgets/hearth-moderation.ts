import { html, nothing, type PropertyValues, type TemplateResult } from "lit";
import { HearthApiError } from "./api.ts";
import { renderCommentBody } from "./comment-body.ts";
import { HearthMemberElement } from "./hearth-member-element.ts";
import { moderationStyles } from "./hearth-moderation.styles.ts";
import { fediverseTab } from "./i18n/fediverse-tab.ts";
import { absoluteTime, describeError, relativeTime } from "./i18n/index.ts";
import { moderationDe } from "./i18n/moderation-de.ts";
import { moderationEn } from "./i18n/moderation-en.ts";
import { moderationFr } from "./i18n/moderation-fr.ts";
import type { ModerationTranslation } from "./i18n/moderation-translation.ts";
import { BAN_DURATIONS, shortcutOf, step, withoutItems } from "./moderation-queue.ts";
import { base } from "./styles/base.ts";
import { tokens } from "./styles/tokens.ts";
import type { AuditEntry, MemberHistory, ModMember, QueueItem, ScreeningReason } from "./types.ts";

type Status = "idle" | "loading" | "error" | "ready";
type Tab = "queue" | "audit" | "fediverse";
const TABS: Tab[] = ["queue", "audit", "fediverse"];
/** What waits for the moderator's confirmation: removing or banning one item, or many. */
type Confirm =
  | { action: "remove" | "ban"; item: QueueItem }
  | { action: "bulk-remove" }
  | { action: "member-ban"; member: ModMember };

const MODERATION = { en: moderationEn, de: moderationDe, fr: moderationFr };

/** Actions the audit log can take back, and how. */
const UNDO: Record<string, string> = {
  "comment.remove": "restore",
  "member.ban": "unban",
  "member.limit": "unlimit",
  "thread.lock": "unlock",
  "thread.premoderate": "unpremoderate",
};

const REASONS = [
  "premoderation",
  "limited",
  "screening",
  "word_filter",
  "flags",
  "signup",
  "federation",
];

const isModerator = (roles: readonly string[] | undefined) =>
  Boolean(roles?.includes("moderator") || roles?.includes("admin"));

/**
 * @summary The moderation desk: the queue of held comments and screened accounts with their
 * context (thread, parent comment, the author's history and screening reasons), a member
 * panel, the audit log, and instance and actor blocks for the Fediverse. Keyboard: `j`/`k`
 * move, `a` approves, `r` removes, `b` bans, `x` selects; removing and banning ask for
 * confirmation; arrow keys move between the tabs. For moderators and admins.
 *
 * @event hearth-session-changed - The signed-in member changed (or signed out).
 *
 * @csspart base - The whole desk.
 * @csspart header - Heading and tabs.
 * @csspart tabs - The tab list.
 * @csspart toolbar - Selection and bulk actions.
 * @csspart state - Loading, empty and error messages.
 * @csspart queue - The list of queue items.
 * @csspart item - One queue item (also `item--current`).
 * @csspart item__context - Thread and parent comment.
 * @csspart item__body - The held comment.
 * @csspart reasons - Why it was held and the screening reasons.
 * @csspart actions - The item's buttons.
 * @csspart approve-button - Approve.
 * @csspart remove-button - Remove.
 * @csspart ban-button - Ban.
 * @csspart confirm - A confirmation form.
 * @csspart member-panel - The member panel.
 * @csspart audit - The audit log.
 * @csspart federation-blocks - The Fediverse tab: instance and actor blocks.
 *
 * @cssproperty --hearth-accent - Buttons and highlights.
 * @cssproperty --hearth-on-accent - Text on accent-coloured buttons.
 * @cssproperty --hearth-text - Text.
 * @cssproperty --hearth-muted - Secondary text.
 * @cssproperty --hearth-surface - Background.
 * @cssproperty --hearth-border - Borders and dividers.
 * @cssproperty --hearth-danger - Destructive actions and errors.
 * @cssproperty --hearth-radius - Corner radius.
 * @cssproperty --hearth-font - Font family.
 */
export class HearthModeration extends HearthMemberElement {
  static override styles = [tokens, base, moderationStyles];

  static override properties = {
    thread: {},
    reason: { state: true },
    tab: { state: true },
    status: { state: true },
    error: { state: true },
    items: { state: true },
    nextCursor: { state: true },
    current: { state: true },
    selected: { state: true },
    confirm: { state: true },
    actionError: { state: true },
    panel: { state: true },
    audit: { state: true },
    auditCursor: { state: true },
    auditStatus: { state: true },
    auditError: { state: true },
    announcement: { state: true },
  };

  /** Only this thread's items (the host's key); all threads when unset. */
  declare thread: string | null;
  /** Only items held for this reason; all when empty. */
  declare reason: string;
  declare tab: Tab;
  declare status: Status;
  declare error: unknown;
  declare items: QueueItem[];
  declare nextCursor: string | null;
  /** The index of the item the shortcuts act on. */
  declare current: number;
  declare selected: ReadonlySet<string>;
  declare confirm: Confirm | null;
  declare actionError: string | null;
  /** The member panel: the member's id, and their details once loaded. */
  declare panel: { id: string; data: ModMember | null; error: unknown } | null;
  declare audit: AuditEntry[];
  declare auditCursor: string | null;
  declare auditStatus: Status;
  declare auditError: unknown;
  declare announcement: string;

  #generation = 0;
  #busy = false;
  /** The button that opened the member panel, to return focus to. */
  #panelOpener: HTMLElement | null = null;

  constructor() {
    super();
    this.thread = null;
    this.reason = "";
    this.tab = "queue";
    this.status = "idle";
    this.error = null;
    this.items = [];
    this.nextCursor = null;
    this.current = 0;
    this.selected = new Set();
    this.confirm = null;
    this.actionError = null;
    this.panel = null;
    this.audit = [];
    this.auditCursor = null;
    this.auditStatus = "idle";
    this.auditError = null;
    this.announcement = "";
  }

  /** The moderation strings for the current locale. */
  get m(): ModerationTranslation {
    return MODERATION[this.locale];
  }

  /** Loads the queue again (keeps the session). */
  reload(): Promise<void> {
    return this.#loadQueue();
  }

  protected override identityChanged(): void {
    this.items = [];
    this.audit = [];
    this.auditStatus = "idle";
    this.panel = null;
    this.confirm = null;
    this.selected = new Set();
    void this.#loadQueue();
  }

  // --- Data ----------------------------------------------------------------------------------

  #filters(): { reason?: string; thread?: string } {
    return {
      ...(this.reason ? { reason: this.reason } : {}),
      ...(this.thread ? { thread: this.thread } : {}),
    };
  }

  #onReasonChange(event: Event): void {
    this.reason = (event.target as HTMLSelectElement).value;
    this.selected = new Set();
    this.current = 0;
    void this.#loadQueue();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("thread") && changed.get("thread") !== undefined) void this.#loadQueue();
  }

  async #loadQueue(): Promise<void> {
    const generation = ++this.#generation;
    this.status = "loading";
    this.error = null;
    try {
      const member = await this.api.signIn();
      if (generation !== this.#generation) return;
      if (!member) {
        this.status = "idle";
        return;
      }
      const page = await this.api.modQueue(this.#filters());
      if (generation !== this.#generation) return;
      this.items = page.items;
      this.nextCursor = page.nextCursor;
      this.current = step(this.current, 0, page.items.length);
      const ids = new Set(page.items.map((item) => item.id));
      this.selected = new Set([...this.selected].filter((id) => ids.has(id)));
      this.status = "ready";
    } catch (error) {
      if (generation !== this.#generation) return;
      this.status = "error";
      this.error = error;
    }
  }

  async #loadMore(): Promise<void> {
    if (!this.nextCursor || this.#busy) return;
    this.#busy = true;
    try {
      const page = await this.api.modQueue({ ...this.#filters(), cursor: this.nextCursor });
      const known = new Set(this.items.map((item) => item.id));
      this.items = [...this.items, ...page.items.filter((item) => !known.has(item.id))];
      this.nextCursor = page.nextCursor;
    } catch (error) {
      this.actionError = describeError(this.t, error);
    } finally {
      this.#busy = false;
      this.requestUpdate();
    }
  }

  async #loadAudit(more = false): Promise<void> {
    if (!more) this.auditStatus = "loading";
    this.auditError = null;
    try {
      const page = await this.api.modAudit(more ? this.auditCursor : null);
      this.audit = more ? [...this.audit, ...page.entries] : page.entries;
      this.auditCursor = page.nextCursor;
      this.auditStatus = "ready";
    } catch (error) {
      if (more) this.auditError = error;
      else {
        this.auditStatus = "error";
        this.auditError = error;
      }
    }
  }

  // --- Actions -------------------------------------------------------------------------------

  #announce(message: string): void {
    this.announcement = "";
    requestAnimationFrame(() => {
      this.announcement = message;
    });
  }

  async #focusCurrent(): Promise<void> {
    await this.updateComplete;
    const item = this.items[this.current];
    const target = item
      ? this.renderRoot.querySelector<HTMLElement>(`#item-${CSS.escape(item.id)}`)
      : this.renderRoot.querySelector<HTMLElement>("#heading");
    target?.focus();
    if (item) target?.scrollIntoView({ block: "nearest" });
  }

  /** Runs a decision on some items; decided items leave the queue. */
  async #decide(
    ids: string[],
    run: () => Promise<string[]>,
    message: (count: number) => string,
  ): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    this.actionError = null;
    this.requestUpdate();
    try {
      const done = new Set(await run());
      const next = withoutItems(this.items, done, this.current);
      this.items = next.items;
      this.current = next.current;
      this.selected = new Set([...this.selected].filter((id) => !done.has(id)));
      this.confirm = null;
      if (done.size < ids.length) this.actionError = this.m.someFailed(ids.length - done.size);
      this.#announce(message(done.size));
      await this.#focusCurrent();
      if (this.items.length === 0 && this.nextCursor) void this.#loadQueue();
    } catch (error) {
      this.actionError = describeError(this.t, error);
    } finally {
      this.#busy = false;
      this.requestUpdate();
    }
  }

  #approve(item: QueueItem): Promise<void> {
    return this.#decide(
      [item.id],
      async () => {
        if (item.kind === "comment" && item.comment) {
          await this.api.moderate("comments", item.comment.id, "approve");
          return [item.id];
        }
        // Approving an account publishes the comments its screening held: they leave too.
        const result = (await this.api.moderate("members", item.author.id, "approve")) as {
          publishedComments?: string[];
        };
        const published = new Set(result?.publishedComments ?? []);
        return [
          item.id,
          ...this.items
            .filter((other) => other.comment !== null && published.has(other.comment.id))
            .map((other) => other.id),
        ];
      },
      () => this.m.announceApproved,
    );
  }

  #remove(item: QueueItem, reason: string): Promise<void> {
    return this.#decide(
      [item.id],
      async () => {
        const body = reason ? { reason } : {};
        if (item.kind === "comment" && item.comment) {
          await this.api.moderate("comments", item.comment.id, "remove", body);
        } else {
          await this.api.moderate("members", item.author.id, "reject", body);
        }
        return [item.id];
      },
      () => this.m.announceRemoved,
    );
  }

  /** Bans a member; their items leave the queue (all of them when their content goes too). */
  async #ban(memberId: string, form: HTMLFormElement): Promise<void> {
    const data = new FormData(form);
    const duration = Number(data.get("duration"));
    const removeContent = data.get("removeContent") === "on";
    const reason = String(data.get("reason") ?? "").trim();
    const ids = this.items.filter((item) => item.author.id === memberId).map((item) => item.id);
    await this.#decide(
      ids,
      async () => {
        await this.api.moderate("members", memberId, "ban", {
          ...(duration > 0 ? { durationSeconds: duration } : {}),
          ...(removeContent ? { removeContent: true } : {}),
          ...(reason ? { reason } : {}),
        });
        // Held comments stay held when the member is banned, unless their content is removed.
        return this.items
          .filter(
            (item) => item.author.id === memberId && (removeContent || item.kind === "member"),
          )
          .map((item) => item.id);
      },
      () => this.m.announceBanned,
    );
    if (this.panel?.id === memberId) void this.#openMember(memberId, null);
  }

  #bulk(action: "approve" | "remove", reason = ""): Promise<void> {
    const chosen = this.items.filter((item) => this.selected.has(item.id));
    return this.#decide(
      chosen.map((item) => item.id),
      async () => {
        const comments = chosen.filter((item) => item.kind === "comment" && item.comment);
        const done: string[] = [];
        if (comments.length) {
          const { results } = await this.api.moderateMany(
            action,
            comments.map((item) => item.comment!.id),
            reason || undefined,
          );
          const ok = new Set(results.filter((r) => !r.error).map((r) => r.id));
          done.push(...comments.filter((item) => ok.has(item.comment!.id)).map((i) => i.id));
        }
        for (const item of chosen.filter((i) => i.kind === "member")) {
          try {
            const body = reason ? { reason } : {};
            await this.api.moderate(
              "members",
              item.author.id,
              action === "approve" ? "approve" : "reject",
              body,
            );
            done.push(item.id);
          } catch {
            // Counted as failed below.
          }
        }
        return done;
      },
      (count) =>
        action === "approve"
          ? this.m.announceBulkApproved(count)
          : this.m.announceBulkRemoved(count),
    );
  }

  async #memberAction(member: ModMember, action: "limit" | "unlimit" | "unban"): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    this.actionError = null;
    try {
      await this.api.moderate("members", member.member.id, action);
      this.#announce(this.m.announceMemberUpdated(member.member.name));
      await this.#openMember(member.member.id, null);
    } catch (error) {
      this.actionError = describeError(this.t, error);
    } finally {
      this.#busy = false;
      this.requestUpdate();
    }
  }

  /** Takes an audited action back (restores a removed comment, unbans, …). */
  async #undo(entry: AuditEntry): Promise<void> {
    const action = UNDO[entry.action];
    if (!action || this.#busy) return;
    this.#busy = true;
    this.auditError = null;
    try {
      const target = `${entry.target.type}s` as "comments" | "members" | "threads";
      await this.api.moderate(target, entry.target.id, action);
      this.#announce(this.m.undone);
      await this.#loadAudit();
      void this.#loadQueue();
    } catch (error) {
      this.auditError = error;
    } finally {
      this.#busy = false;
    }
  }

  async #openConfirm(confirm: Confirm): Promise<void> {
    this.confirm = confirm;
    this.actionError = null;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>("#confirm-first")?.focus();
  }

  async #cancelConfirm(): Promise<void> {
    const confirm = this.confirm;
    this.confirm = null;
    if (confirm?.action === "member-ban") {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>("#member-heading")?.focus();
    } else await this.#focusCurrent();
  }

  #toggleSelected(item: QueueItem): void {
    const selected = new Set(this.selected);
    if (selected.has(item.id)) selected.delete(item.id);
    else selected.add(item.id);
    this.selected = selected;
  }

  #toggleAll(): void {
    this.selected =
      this.selected.size === this.items.length
        ? new Set()
        : new Set(this.items.map((item) => item.id));
  }

  async #openMember(id: string, opener: HTMLElement | null): Promise<void> {
    if (opener) this.#panelOpener = opener;
    const keep = this.panel?.id === id ? this.panel.data : null;
    this.panel = { id, data: keep, error: null };
    if (opener) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>("#member-heading")?.focus();
    }
    try {
      const data = await this.api.modMember(id);
      if (this.panel?.id === id) this.panel = { id, data, error: null };
    } catch (error) {
      if (this.panel?.id === id) this.panel = { id, data: keep, error };
    }
  }

  async #closeMember(): Promise<void> {
    this.panel = null;
    if (this.confirm?.action === "member-ban") this.confirm = null;
    await this.updateComplete;
    this.#panelOpener?.focus();
  }

  async #switchTab(tab: Tab): Promise<void> {
    this.tab = tab;
    this.confirm = null;
    if (tab === "audit") void this.#loadAudit();
    // The blocks are a module of their own, loaded the first time the tab opens.
    if (tab === "fediverse") void import("./federation-blocks.ts");
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`#tab-${tab}`)?.focus();
  }

  #onTabKey(event: KeyboardEvent): void {
    if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
      event.preventDefault();
      const by = event.key === "ArrowRight" ? 1 : TABS.length - 1;
      void this.#switchTab(TABS[(TABS.indexOf(this.tab) + by) % TABS.length]!);
    }
  }

  #onKeydown(event: KeyboardEvent): void {
    if (event.key === "Escape") {
      if (this.confirm) void this.#cancelConfirm();
      else if (this.panel) void this.#closeMember();
      return;
    }
    if (this.tab !== "queue" || this.status !== "ready") return;
    const shortcut = shortcutOf(event);
    if (!shortcut || this.confirm) return;
    const item = this.items[this.current];
    event.preventDefault();
    switch (shortcut) {
      case "next":
      case "previous":
        this.current = step(this.current, shortcut === "next" ? 1 : -1, this.items.length);
        void this.#focusCurrent();
        return;
      case "select":
        if (item) this.#toggleSelected(item);
        return;
      case "approve":
        if (item) void this.#approve(item);
        return;
      case "remove":
        if (item) void this.#openConfirm({ action: "remove", item });
        return;
      case "ban":
        if (item) void this.#openConfirm({ action: "ban", item });
        return;
    }
  }

  #onFocusIn(event: FocusEvent): void {
    const article = event
      .composedPath()
      .find((node) => (node as HTMLElement).dataset?.index !== undefined) as
      | HTMLElement
      | undefined;
    if (article) this.current = Number(article.dataset.index);
  }

  // --- Rendering -----------------------------------------------------------------------------

  #renderHistory(history: MemberHistory | null | undefined): TemplateResult | typeof nothing {
    if (!history) return nothing;
    const c = history.comments;
    const summary = this.m.historySummary(
      c.published ?? 0,
      (c.removed ?? 0) + (c.deleted ?? 0),
      c.held ?? 0,
      history.flagsReceived,
    );
    return html`<p class="history">${summary}</p>`;
  }

  #renderReasons(reasons: ScreeningReason[], verdict: string | null, score: number | null) {
    const m = this.m;
    if (!verdict && reasons.length === 0) return nothing;
    return html`<div class="screening">
      <p>${m.screeningVerdict(verdict ?? "allow", score ?? 0)}</p>
      ${
        reasons.length
          ? html`<ul>
              ${reasons.map((r) => html`<li>${r.message} <span class="score">+${r.score}</span></li>`)}
            </ul>`
          : nothing
      }
    </div>`;
  }

  #renderConfirm(confirm: Confirm): TemplateResult {
    const t = this.t;
    const m = this.m;
    const ban = confirm.action === "ban" || confirm.action === "member-ban";
    const memberId =
      confirm.action === "ban"
        ? confirm.item.author.id
        : confirm.action === "member-ban"
          ? confirm.member.member.id
          : "";
    const name =
      confirm.action === "ban"
        ? confirm.item.author.name
        : confirm.action === "member-ban"
          ? confirm.member.member.name
          : "";
    const question =
      confirm.action === "bulk-remove"
        ? m.confirmBulkRemove(this.selected.size)
        : ban
          ? m.confirmBan(name)
          : confirm.item.kind === "member"
            ? m.confirmReject(confirm.item.author.name)
            : m.confirmRemove;
    const submit = (event: SubmitEvent) => {
      event.preventDefault();
      const form = event.target as HTMLFormElement;
      const reason = String(new FormData(form).get("reason") ?? "").trim();
      if (ban) void this.#ban(memberId, form);
      else if (confirm.action === "bulk-remove") void this.#bulk("remove", reason);
      else if (confirm.action === "remove") void this.#remove(confirm.item, reason);
    };
    return html`<form class="confirm" part="confirm" aria-label=${question} @submit=${submit}>
      <p class="confirm__question">${question}</p>
      ${
        ban
          ? html`<label for="confirm-first">${m.banLength}</label>
              <select id="confirm-first" name="duration">
                ${BAN_DURATIONS.map(
                  (seconds) =>
                    html`<option value=${seconds ?? 0}>${m.banDuration(seconds)}</option>`,
                )}
              </select>
              <label class="check"
                ><input type="checkbox" name="removeContent" /> ${m.removeAllContent}</label
              >`
          : nothing
      }
      <label
        >${ban ? m.banReason : m.removeReason}
        <input
          id=${ban ? "confirm-reason" : "confirm-first"}
          name="reason"
          type="text"
          maxlength="500"
          autocomplete="off"
      /></label>
      <div class="confirm__buttons">
        <button type="submit" class="button button--danger">
          ${ban ? m.ban : confirm.action === "bulk-remove" ? m.removeSelected : m.remove}
        </button>
        <button type="button" class="button button--secondary" @click=${this.#cancelConfirm}>
          ${t.cancel}
        </button>
      </div>
    </form>`;
  }

  #renderItem(item: QueueItem, index: number): TemplateResult {
    const t = this.t;
    const m = this.m;
    const current = index === this.current;
    const author = item.author;
    const screening = author.screening;
    const flags = Object.entries(item.comment?.flags ?? {});
    const confirm = this.confirm;
    const confirming = confirm && "item" in confirm && confirm.item.id === item.id ? confirm : null;
    return html`<li>
      <article
        id="item-${item.id}"
        class="item ${current ? "item--current" : ""}"
        part="item ${current ? "item--current" : ""}"
        data-index=${index}
        tabindex=${current ? "0" : "-1"}
        aria-labelledby="item-label-${item.id}"
        aria-current=${current ? "true" : "false"}
      >
        <div class="item__select">
          <input
            type="checkbox"
            aria-label=${m.selectItem(author.name)}
            .checked=${this.selected.has(item.id)}
            @change=${() => this.#toggleSelected(item)}
          />
        </div>
        <div class="item__main">
          <header class="item__header">
            <span id="item-label-${item.id}" class="sr-only"
              >${item.kind === "comment" ? m.heldCommentBy(author.name) : m.newAccount(author.name)}</span
            >
            <button
              type="button"
              class="author"
              aria-label=${m.aboutMember(author.name)}
              @click=${(event: Event) => this.#openMember(author.id, event.currentTarget as HTMLElement)}
            >
              ${author.name}
            </button>
            <span class="muted">@${author.handle}</span>
            ${author.status !== "active" ? html`<span class="badge badge--warn">${m.memberStatus(author.status)}</span>` : nothing}
            <span class="badge">${m.queueReason(item.reason)}</span>
            <time class="muted" datetime=${item.createdAt} title=${absoluteTime(t, item.createdAt)}
              >${relativeTime(t, item.createdAt)}</time
            >
          </header>
          <div class="item__context" part="item__context">
            ${item.thread ? html`<p class="muted">${m.inThread(item.thread.title || item.thread.key)}</p>` : nothing}
            ${
              item.parent
                ? html`<blockquote class="parent">
                    <p class="muted">${m.replyTo(item.parent.authorName ?? t.someone)}</p>
                    <div class="body">${renderCommentBody(item.parent)}</div>
                  </blockquote>`
                : nothing
            }
          </div>
          ${
            item.comment
              ? html`<div class="item__body body" part="item__body">
                  ${renderCommentBody(item.comment)}
                </div>`
              : html`<p class="item__body">${m.newAccount(author.name)}</p>`
          }
          <div class="reasons" part="reasons">
            ${this.#renderHistory(author.history)}
            ${flags.length ? html`<p>${m.flagsSummary(flags.map(([reason, count]) => `${m.flagReason(reason)} ×${count}`).join(", "))}</p>` : nothing}
            ${screening ? this.#renderReasons(screening.reasons ?? [], screening.verdict, screening.score) : nothing}
          </div>
          <div class="actions" part="actions">
            <button type="button" class="button" part="approve-button" aria-keyshortcuts="a" @click=${() => this.#approve(item)}>
              ${m.approve} <kbd aria-hidden="true">a</kbd>
            </button>
            <button
              type="button"
              class="button button--secondary"
              part="remove-button"
              aria-keyshortcuts="r"
              @click=${() => this.#openConfirm({ action: "remove", item })}
            >
              ${item.kind === "member" ? m.reject : m.remove} <kbd aria-hidden="true">r</kbd>
            </button>
            <button
              type="button"
              class="button button--secondary"
              part="ban-button"
              aria-keyshortcuts="b"
              @click=${() => this.#openConfirm({ action: "ban", item })}
            >
              ${m.ban} <kbd aria-hidden="true">b</kbd>
            </button>
          </div>
          ${confirming ? this.#renderConfirm(confirming) : nothing}
        </div>
      </article>
    </li>`;
  }

  #renderFilter(): TemplateResult {
    const m = this.m;
    return html`<div class="filter">
      <label for="filter-reason">${m.filterReason}</label>
      <select id="filter-reason" @change=${this.#onReasonChange}>
        <option value="" ?selected=${!this.reason}>${m.allReasons}</option>
        ${REASONS.map(
          (reason) =>
            html`<option value=${reason} ?selected=${this.reason === reason}>${m.queueReason(reason)}</option>`,
        )}
      </select>
    </div>`;
  }

  #renderQueue(): TemplateResult {
    return html`${this.#renderFilter()}${this.#renderQueueItems()}`;
  }

  #renderQueueItems(): TemplateResult {
    const t = this.t;
    const m = this.m;
    if (this.status === "loading" && this.items.length === 0) {
      return html`<p class="state" part="state" role="status">${m.queueLoading}</p>`;
    }
    if (this.status === "error") {
      const forbidden = this.error instanceof HearthApiError && this.error.status === 403;
      return html`<div class="state" part="state" role="alert">
        <p>${forbidden ? m.moderatorsOnly : describeError(t, this.error)}</p>
        ${
          forbidden
            ? nothing
            : html`<button type="button" class="button button--secondary" @click=${this.#loadQueue}>
                ${t.retry}
              </button>`
        }
      </div>`;
    }
    if (this.items.length === 0) {
      return html`<p class="state" part="state">${m.queueEmpty}</p>`;
    }
    const count = this.selected.size;
    const bulkConfirm = this.confirm?.action === "bulk-remove";
    return html`<div class="toolbar" part="toolbar">
        <label class="check">
          <input
            type="checkbox"
            .checked=${count > 0 && count === this.items.length}
            .indeterminate=${count > 0 && count < this.items.length}
            @change=${this.#toggleAll}
          />
          ${count ? m.selectedCount(count) : m.selectAll}
        </label>
        <button type="button" class="button" ?disabled=${count === 0} @click=${() => this.#bulk("approve")}>
          ${m.approveSelected}
        </button>
        <button
          type="button"
          class="button button--secondary"
          ?disabled=${count === 0}
          @click=${() => this.#openConfirm({ action: "bulk-remove" })}
        >
          ${m.removeSelected}
        </button>
        <p class="hint muted" id="shortcuts">${m.shortcutsHint}</p>
      </div>
      ${bulkConfirm ? this.#renderConfirm(this.confirm!) : nothing}
      ${this.actionError ? html`<p class="error" role="alert">${this.actionError}</p>` : nothing}
      <ol class="queue" part="queue" aria-label=${m.queue} aria-describedby="shortcuts">
        ${this.items.map((item, index) => this.#renderItem(item, index))}
      </ol>
      ${
        this.nextCursor
          ? html`<div class="more">
              <button type="button" class="button button--secondary" @click=${this.#loadMore}>
                ${t.loadMore}
              </button>
            </div>`
          : nothing
      }`;
  }

  #renderMember(): TemplateResult | typeof nothing {
    const panel = this.panel;
    if (!panel) return nothing;
    const t = this.t;
    const m = this.m;
    const data = panel.data;
    const who = data?.member;
    const confirming = this.confirm?.action === "member-ban" ? this.confirm : null;
    return html`<section class="member" part="member-panel" aria-labelledby="member-heading">
      <header class="member__header">
        <h3 id="member-heading" tabindex="-1">${who ? who.name : m.member}</h3>
        <button type="button" class="link-button" @click=${this.#closeMember}>${m.close}</button>
      </header>
      ${panel.error ? html`<p class="error" role="alert">${describeError(t, panel.error)}</p>` : nothing}
      ${
        !data
          ? panel.error
            ? nothing
            : html`<p class="state" role="status">${m.queueLoading}</p>`
          : html`<p class="muted">
                @${who!.handle} · ${m.memberStatus(who!.status)}
                ${
                  data.moderation.bannedUntil
                    ? html` · ${m.bannedUntil(absoluteTime(t, data.moderation.bannedUntil))}`
                    : nothing
                }
                · ${m.memberSince(absoluteTime(t, who!.createdAt))}
              </p>
              ${this.#renderHistory(data.history)}
              ${this.#renderReasons(data.moderation.screening.reasons, data.moderation.screening.verdict, data.moderation.screening.score)}
              <div class="actions">
                ${
                  who!.status === "banned"
                    ? html`<button type="button" class="button button--secondary" @click=${() => this.#memberAction(data, "unban")}>
                        ${m.unban}
                      </button>`
                    : html`<button
                          type="button"
                          class="button button--secondary"
                          @click=${() => this.#memberAction(data, who!.status === "limited" ? "unlimit" : "limit")}
                        >
                          ${who!.status === "limited" ? m.unlimit : m.limit}
                        </button>
                        <button
                          type="button"
                          class="button button--danger"
                          @click=${() => this.#openConfirm({ action: "member-ban", member: data })}
                        >
                          ${m.ban}
                        </button>`
                }
              </div>
              ${confirming ? this.#renderConfirm(confirming) : nothing}
              ${
                data.recentComments.length
                  ? html`<h4>${m.recentComments}</h4>
                      <ul class="recent">
                        ${data.recentComments.map(
                          (c) => html`<li>
                            <p class="muted">
                              ${m.inThread(c.threadKey)} · ${relativeTime(t, c.createdAt)} ·
                              ${m.commentStatus(c.status)}
                            </p>
                            <div class="body">${renderCommentBody(c)}</div>
                          </li>`,
                        )}
                      </ul>`
                  : nothing
              }`
      }
    </section>`;
  }

  #renderAudit(): TemplateResult {
    const t = this.t;
    const m = this.m;
    if (this.auditStatus === "loading" || this.auditStatus === "idle") {
      return html`<p class="state" part="state" role="status">${m.queueLoading}</p>`;
    }
    if (this.auditStatus === "error") {
      return html`<div class="state" part="state" role="alert">
        <p>${describeError(t, this.auditError)}</p>
        <button type="button" class="button button--secondary" @click=${() => this.#loadAudit()}>
          ${t.retry}
        </button>
      </div>`;
    }
    if (this.audit.length === 0) return html`<p class="state" part="state">${m.auditEmpty}</p>`;
    return html`${
      this.auditError && !this.auditCursor
        ? html`<p class="error" role="alert">${describeError(t, this.auditError)}</p>`
        : nothing
    }<ol class="audit" part="audit">
        ${this.audit.map(
          (entry) => html`<li>
            <time datetime=${entry.createdAt} title=${absoluteTime(t, entry.createdAt)}
              >${relativeTime(t, entry.createdAt)}</time
            >
            <span
              >${m.auditLine(
                entry.actor?.name ?? t.someone,
                entry.action,
                `${entry.target.type} ${entry.target.id}`,
              )}</span
            >
            ${
              typeof entry.after?.reason === "string"
                ? html`<span class="muted">“${entry.after.reason}”</span>`
                : nothing
            }
            ${
              UNDO[entry.action]
                ? html`<button
                    type="button"
                    class="link-button"
                    aria-label=${m.undoOf(
                      m.auditLine(
                        entry.actor?.name ?? t.someone,
                        entry.action,
                        `${entry.target.type} ${entry.target.id}`,
                      ),
                    )}
                    @click=${() => this.#undo(entry)}
                  >
                    ${m.undo}
                  </button>`
                : nothing
            }
          </li>`,
        )}
      </ol>
      ${
        this.auditCursor
          ? html`<div class="more">
              <button type="button" class="button button--secondary" @click=${() => this.#loadAudit(true)}>
                ${t.loadMore}
              </button>
              ${this.auditError ? html`<p class="error" role="alert">${describeError(t, this.auditError)}</p>` : nothing}
            </div>`
          : nothing
      }`;
  }

  override render() {
    const t = this.t;
    const m = this.m;
    if (!this.member) {
      return this.status === "loading"
        ? html`<p class="state" part="state" role="status">${m.queueLoading}</p>`
        : this.status === "error"
          ? html`<p class="state" part="state" role="alert">${describeError(t, this.error)}</p>`
          : html`<p class="state" part="state">${m.moderatorsOnly}</p>`;
    }
    if (!isModerator(this.member.roles)) {
      return html`<p class="state" part="state">${m.moderatorsOnly}</p>`;
    }
    const tab = (id: Tab, label: string) => html`<button
      type="button"
      role="tab"
      id="tab-${id}"
      aria-selected=${this.tab === id ? "true" : "false"}
      aria-controls="tabpanel"
      tabindex=${this.tab === id ? "0" : "-1"}
      @click=${() => this.#switchTab(id)}
    >
      ${label}
    </button>`;
    return html`<section
      class="base"
      part="base"
      aria-labelledby="heading"
      @keydown=${this.#onKeydown}
      @focusin=${this.#onFocusIn}
    >
      <header class="header" part="header">
        <h2 id="heading" tabindex="-1">${m.moderation}</h2>
        <div class="tabs" part="tabs" role="tablist" aria-label=${m.moderation} @keydown=${this.#onTabKey}>
          ${tab("queue", this.items.length ? `${m.queue} (${this.items.length}${this.nextCursor ? "+" : ""})` : m.queue)}
          ${tab("audit", m.auditLog)}
          ${tab("fediverse", fediverseTab[this.locale])}
        </div>
      </header>
      <div class="layout">
        <div id="tabpanel" class="tabpanel" role="tabpanel" aria-labelledby="tab-${this.tab}">
          ${
            this.tab === "queue"
              ? this.#renderQueue()
              : this.tab === "audit"
                ? this.#renderAudit()
                : html`<hearth-federation-blocks
                    exportparts="federation-blocks"
                    lang=${this.locale}
                    .client=${this.api}
                  ></hearth-federation-blocks>`
          }
        </div>
        ${this.#renderMember()}
      </div>
      <div class="sr-only" role="status" aria-live="polite">${this.announcement}</div>
    </section>`;
  }
}

HearthMemberElement.define("hearth-moderation", HearthModeration);

declare global {
  interface HTMLElementTagNameMap {
    "hearth-moderation": HearthModeration;
  }
}
