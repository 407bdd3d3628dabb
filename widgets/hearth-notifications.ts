import { html, nothing, type TemplateResult } from "lit";
import { HearthApiError } from "./api.ts";
import { HearthMemberElement } from "./hearth-member-element.ts";
import { notificationsStyles } from "./hearth-notifications.styles.ts";
import { describeError, relativeTime } from "./i18n/index.ts";
import { renderLoadMore } from "./load-more.ts";
import {
  addLive,
  appendOlder,
  describeNotification,
  markRead,
  notificationLink,
} from "./notification-list.ts";
import { createSseParser, pumpSse } from "./sse.ts";
import { base } from "./styles/base.ts";
import { tokens } from "./styles/tokens.ts";
import type {
  Author,
  EmailMode,
  HearthNotification,
  NotificationKind,
  NotificationPage,
  Preferences,
} from "./types.ts";

const KINDS: readonly NotificationKind[] = ["reply", "mention", "thread", "reaction", "moderation"];
const MODES: readonly EmailMode[] = ["immediate", "digest", "off"];
/** Reconnection delays of the live stream: from 1 s, doubling, up to 30 s. */
const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;

/** `unavailable`: the server has no notifications (an older Hearth); the bell stays away. */
type Status = "idle" | "loading" | "error" | "ready" | "unavailable";

const isUnavailable = (error: unknown) =>
  error instanceof HearthApiError && error.status === 404 && error.code === "not_found";

/**
 * @summary A bell with the signed-in member's unread count, opening their notifications:
 * replies, mentions, new comments in followed threads, reactions and moderation outcomes,
 * each linking to the comment on the host page. Updates live; has a preferences panel
 * for email (immediately, daily digest or off, per kind). Shows nothing when signed out.
 *
 * @event hearth-session-changed - The signed-in member changed (or signed out).
 *
 * @csspart base - The bell and its panel.
 * @csspart bell - The bell button.
 * @csspart badge - The unread count on the bell.
 * @csspart panel - The popover with the list or the preferences.
 * @csspart panel__header - The panel's heading and buttons.
 * @csspart state - The loading, empty and error messages.
 * @csspart list - The list of notifications.
 * @csspart item - One notification (also `item--unread`).
 * @csspart item__link - The link to the comment.
 * @csspart mark-read-button - The button marking one notification read.
 * @csspart mark-all-button - The "Mark all as read" button.
 * @csspart load-more-button - The "Show older" button.
 * @csspart preferences - The preferences form.
 *
 * @cssproperty --hearth-accent - The badge, links and buttons.
 * @cssproperty --hearth-on-accent - Text on the badge.
 * @cssproperty --hearth-text - Text.
 * @cssproperty --hearth-muted - Secondary text.
 * @cssproperty --hearth-surface - The panel's background.
 * @cssproperty --hearth-border - Borders and dividers.
 * @cssproperty --hearth-danger - Errors.
 * @cssproperty --hearth-radius - Corner radius.
 * @cssproperty --hearth-font - Font family.
 */
export class HearthNotifications extends HearthMemberElement {
  static override styles = [tokens, base, notificationsStyles];

  static override properties = {
    open: { type: Boolean, reflect: true },
    view: { state: true },
    status: { state: true },
    error: { state: true },
    items: { state: true },
    unread: { state: true },
    nextCursor: { state: true },
    loadingMore: { state: true },
    moreError: { state: true },
    prefs: { state: true },
    muted: { state: true },
    prefsError: { state: true },
    announcement: { state: true },
  };

  /** Whether the panel is open. */
  declare open: boolean;
  declare view: "list" | "preferences";
  declare status: Status;
  declare error: unknown;
  declare items: HearthNotification[];
  declare unread: number;
  declare nextCursor: string | null;
  declare loadingMore: boolean;
  declare moreError: unknown;
  declare prefs: Preferences | null;
  declare muted: Author[] | null;
  declare prefsError: unknown;
  declare announcement: string;

  /** Bumped on every identity change, so streams and answers of an earlier one stop. */
  #generation = 0;
  #abort: AbortController | null = null;
  #lastEventId = "";
  #clock: ReturnType<typeof setInterval> | undefined;

  constructor() {
    super();
    this.open = false;
    this.view = "list";
    this.status = "idle";
    this.error = null;
    this.items = [];
    this.unread = 0;
    this.nextCursor = null;
    this.loadingMore = false;
    this.moreError = null;
    this.prefs = null;
    this.muted = null;
    this.prefsError = null;
    this.announcement = "";
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener("click", this.#onDocumentClick);
    document.addEventListener("keydown", this.#onDocumentKeydown);
    this.#clock = setInterval(() => this.requestUpdate(), 60_000);
    // Reconnected to the page after being moved: start the stream again.
    if (this.hasUpdated) this.identityChanged();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener("click", this.#onDocumentClick);
    document.removeEventListener("keydown", this.#onDocumentKeydown);
    clearInterval(this.#clock);
    this.#stop();
  }

  /** Loads the list again and reconnects the live stream (keeps the session). */
  reload(): Promise<void> {
    this.identityChanged();
    return this.updateComplete.then(() => undefined);
  }

  protected override identityChanged(): void {
    this.#stop();
    const generation = ++this.#generation;
    this.items = [];
    this.unread = 0;
    this.nextCursor = null;
    this.prefs = null;
    this.muted = null;
    this.#lastEventId = "";
    void this.#start(generation);
  }

  #stop(): void {
    this.#generation++;
    this.#abort?.abort();
    this.#abort = null;
  }

  async #start(generation: number): Promise<void> {
    this.status = "loading";
    this.error = null;
    try {
      const member = await this.api.signIn();
      if (generation !== this.#generation) return;
      if (!member) {
        this.status = "idle";
        this.open = false;
        return;
      }
      await this.#loadFirst(generation);
    } catch (error) {
      if (generation !== this.#generation) return;
      this.status = "error";
      this.error = error;
    }
    if (
      generation === this.#generation &&
      this.member &&
      (this.status as Status) !== "unavailable"
    ) {
      void this.#stream(generation);
    }
  }

  async #loadFirst(generation = this.#generation): Promise<void> {
    this.status = "loading";
    this.error = null;
    try {
      const page = await this.api.listNotifications();
      if (generation !== this.#generation) return;
      this.#showPage(page, false);
      this.status = "ready";
    } catch (error) {
      if (generation !== this.#generation) return;
      this.status = isUnavailable(error) ? "unavailable" : "error";
      this.error = error;
    }
  }

  #showPage(page: NotificationPage, older: boolean): void {
    const items = page.notifications ?? [];
    this.items = older ? appendOlder(this.items, items) : items;
    this.nextCursor = page.nextCursor ?? null;
    if (typeof page.unread === "number") this.unread = page.unread;
  }

  async #loadMore(): Promise<void> {
    if (!this.nextCursor || this.loadingMore) return;
    const generation = this.#generation;
    this.loadingMore = true;
    this.moreError = null;
    try {
      const page = await this.api.listNotifications(this.nextCursor);
      if (generation === this.#generation) this.#showPage(page, true);
    } catch (error) {
      if (generation === this.#generation) this.moreError = error;
    } finally {
      this.loadingMore = false;
    }
  }

  // --- Live updates --------------------------------------------------------------------------

  /** Reads the live stream, reconnecting with `Last-Event-ID` until the identity changes. */
  async #stream(generation: number): Promise<void> {
    let delay = FIRST_RETRY_MS;
    while (generation === this.#generation) {
      const abort = new AbortController();
      this.#abort = abort;
      const parser = createSseParser((event) => {
        this.#lastEventId = event.id;
        this.#onStreamEvent(event.event, event.data);
      }, this.#lastEventId);
      try {
        const response = await this.api.openStream(this.#lastEventId, abort.signal);
        if (!response.body) throw new HearthApiError(0, "network_error", "no stream");
        delay = FIRST_RETRY_MS;
        await pumpSse(response.body, parser);
      } catch (error) {
        if (abort.signal.aborted || generation !== this.#generation) return;
        // Nobody to stream for, or no stream on this server: stop instead of knocking.
        const status = error instanceof HearthApiError ? error.status : 0;
        if (status === 401 || status === 403 || status === 404) return;
      }
      if (parser.retry !== null) delay = Math.max(parser.retry, FIRST_RETRY_MS);
      await new Promise((resolve) => setTimeout(resolve, delay * (0.75 + Math.random() / 2)));
      delay = Math.min(delay * 2, MAX_RETRY_MS);
    }
  }

  #onStreamEvent(type: string, data: string): void {
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      return;
    }
    if (!json || typeof json !== "object") return;
    const payload = json as {
      notification?: HearthNotification;
      unread?: number;
      ids?: string[];
      all?: boolean;
    } & Partial<HearthNotification>;
    if (type === "read") {
      this.items = markRead(this.items, payload.all ? "all" : (payload.ids ?? []));
    } else {
      const item = payload.notification ?? (payload.kind && payload.id ? payload : null);
      if (item?.id && item.kind) {
        const known = this.items.some((listed) => listed.ids.includes(item.id!));
        const full = { ...item, ids: item.ids ?? [item.id] } as HearthNotification;
        this.items = addLive(this.items, full);
        if (!known && !full.read) {
          this.unread += 1;
          this.#announce(this.t.newNotification(describeNotification(this.t, full)));
        }
        if (this.status !== "ready" && this.status !== "loading") this.status = "ready";
      }
    }
    if (typeof payload.unread === "number") this.unread = payload.unread;
  }

  // --- Actions -------------------------------------------------------------------------------

  #announce(message: string): void {
    this.announcement = "";
    requestAnimationFrame(() => {
      this.announcement = message;
    });
  }

  async #markRead(ids: string[] | "all"): Promise<void> {
    const before = { items: this.items, unread: this.unread };
    const fresh =
      ids === "all"
        ? this.unread
        : this.items
            .filter((item) => !item.read && item.ids.some((id) => ids.includes(id)))
            .reduce((sum, item) => sum + item.ids.length, 0);
    this.items = markRead(
      this.items,
      ids === "all"
        ? "all"
        : this.items.filter((item) => item.ids.some((id) => ids.includes(id))).map((i) => i.id),
    );
    this.unread = Math.max(0, this.unread - fresh);
    try {
      const result = await this.api.markRead(ids);
      if (typeof result?.unread === "number") this.unread = result.unread;
      if (ids === "all") this.#announce(this.t.allMarkedRead);
    } catch (error) {
      this.items = before.items;
      this.unread = before.unread;
      this.error = error;
      this.#announce(describeError(this.t, error));
    }
  }

  #markAllRead = async () => {
    await this.#markRead("all");
    // The button is disabled now: the focus goes to the heading instead of the page.
    this.renderRoot.querySelector<HTMLElement>("#panel-heading")?.focus();
  };

  async #toggle(): Promise<void> {
    this.open = !this.open;
    if (!this.open) return;
    this.view = "list";
    if (this.status === "error") void this.#loadFirst();
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>("#panel-heading")?.focus();
  }

  async #close(): Promise<void> {
    this.open = false;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(".bell")?.focus();
  }

  #onDocumentClick = (event: MouseEvent) => {
    if (this.open && !event.composedPath().includes(this)) this.open = false;
  };

  /** Escape closes the panel wherever the focus is (a disabled button may have dropped it). */
  #onDocumentKeydown = (event: KeyboardEvent) => {
    if (event.key !== "Escape" || !this.open) return;
    const focus = document.activeElement;
    if (focus && focus !== document.body && focus !== this) {
      this.open = false;
      return;
    }
    void this.#close();
  };

  async #showPreferences(): Promise<void> {
    this.view = "preferences";
    this.prefsError = null;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>("#panel-heading")?.focus();
    if (this.prefs) return;
    try {
      const [prefs, mutes] = await Promise.all([
        this.api.getPreferences(),
        this.api.listMutes().catch(() => null),
      ]);
      this.prefs = prefs;
      this.muted = mutes?.muted ?? null;
    } catch (error) {
      this.prefsError = error;
    }
  }

  async #showList(): Promise<void> {
    this.view = "list";
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>("#panel-heading")?.focus();
  }

  async #onModeChange(kind: NotificationKind, event: Event): Promise<void> {
    const mode = (event.target as HTMLSelectElement).value as EmailMode;
    const before = this.prefs;
    if (before) this.prefs = { ...before, email: { ...before.email, [kind]: mode } };
    this.prefsError = null;
    try {
      this.prefs = await this.api.putPreferences({ email: { [kind]: mode } });
      this.#announce(this.t.preferencesSaved);
    } catch (error) {
      this.prefs = before;
      this.prefsError = error;
    }
  }

  async #unmute(member: Author): Promise<void> {
    this.prefsError = null;
    try {
      await this.api.mute(member.handle, false);
      this.muted = (this.muted ?? []).filter((muted) => muted.id !== member.id);
      this.#announce(this.t.unmuted(member.name));
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>("#panel-heading")?.focus();
    } catch (error) {
      this.prefsError = error;
    }
  }

  // --- Rendering -----------------------------------------------------------------------------

  #renderItem(item: HearthNotification): TemplateResult {
    const t = this.t;
    const text = describeNotification(t, item);
    const href = notificationLink(item, location.href);
    const content = html`<span class="item__text">${text}</span>
      ${
        item.comment.excerpt
          ? html`<span class="item__excerpt">${item.comment.excerpt}</span>`
          : nothing
      }
      <time class="item__time" datetime=${item.createdAt}>${relativeTime(t, item.createdAt)}</time>`;
    return html`<li class="item ${item.read ? "" : "item--unread"}" part="item ${item.read ? "" : "item--unread"}">
      ${
        href
          ? html`<a
              class="item__link"
              part="item__link"
              href=${href}
              @click=${() => {
                if (!item.read) void this.#markRead(item.ids);
                this.open = false;
              }}
              >${content}</a
            >`
          : html`<div class="item__link" part="item__link">${content}</div>`
      }
      ${
        item.read
          ? nothing
          : html`<button
              type="button"
              class="mark-read"
              part="mark-read-button"
              aria-label=${t.markReadOf(text)}
              title=${t.markRead}
              @click=${() => this.#markRead(item.ids)}
            >
              <span aria-hidden="true"></span>
            </button>`
      }
    </li>`;
  }

  #renderList(): TemplateResult {
    const t = this.t;
    if (this.status === "loading" && this.items.length === 0) {
      return html`<p class="state" part="state" role="status">${t.notificationsLoading}</p>`;
    }
    if (this.status === "error" && this.items.length === 0) {
      return html`<div class="state" part="state" role="alert">
        <p>${describeError(t, this.error)}</p>
        <button type="button" class="button button--secondary" @click=${() => this.#loadFirst()}>
          ${t.retry}
        </button>
      </div>`;
    }
    if (this.items.length === 0) {
      return html`<p class="state" part="state">${t.notificationsEmpty}</p>`;
    }
    return html`<ul class="list" part="list" aria-labelledby="panel-heading">
        ${this.items.map((item) => this.#renderItem(item))}
      </ul>
      ${
        this.nextCursor
          ? renderLoadMore(t, {
              label: t.showOlder,
              buttonClass: "link-button",
              loading: this.loadingMore,
              error: this.moreError,
              onClick: () => this.#loadMore(),
            })
          : nothing
      }`;
  }

  #renderPreferences(): TemplateResult {
    const t = this.t;
    const prefs = this.prefs;
    const error = this.prefsError
      ? html`<p class="error" role="alert">${describeError(t, this.prefsError)}</p>`
      : nothing;
    if (!prefs) {
      return html`${error}${
        this.prefsError
          ? nothing
          : html`<p class="state" part="state" role="status">${t.notificationsLoading}</p>`
      }`;
    }
    return html`<form class="preferences" part="preferences" @submit=${(e: Event) => e.preventDefault()}>
      <fieldset>
        <legend>${t.emailMeAbout}</legend>
        ${KINDS.map(
          (kind) => html`<div class="pref">
            <label for="pref-${kind}">${t.notificationKinds[kind]}</label>
            <select id="pref-${kind}" @change=${(event: Event) => this.#onModeChange(kind, event)}>
              ${MODES.map(
                (mode) =>
                  html`<option value=${mode} ?selected=${(prefs.email[kind] ?? prefs.defaults?.[kind] ?? "off") === mode}>
                    ${t.emailModes[mode]}
                  </option>`,
              )}
            </select>
          </div>`,
        )}
      </fieldset>
      ${
        this.muted
          ? html`<h3 class="muted-heading">${t.mutedMembers}</h3>
              ${
                this.muted.length
                  ? html`<ul class="muted">
                      ${this.muted.map(
                        (member) => html`<li>
                          <span>${member.name}</span>
                          <button
                            type="button"
                            class="link-button"
                            @click=${() => this.#unmute(member)}
                          >
                            ${t.unmute(member.name)}
                          </button>
                        </li>`,
                      )}
                    </ul>`
                  : html`<p class="state">${t.noMutedMembers}</p>`
              }`
          : nothing
      }
      ${error}
    </form>`;
  }

  override render() {
    if (!this.member || this.status === "unavailable") return nothing;
    const t = this.t;
    const unread = this.unread;
    const prefs = this.view === "preferences";
    return html`<div class="base" part="base">
      <button
        type="button"
        class="bell"
        part="bell"
        aria-expanded=${this.open ? "true" : "false"}
        aria-controls="panel"
        aria-label=${t.notificationsButton(unread)}
        @click=${this.#toggle}
      >
        <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">
          <path
            d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
          />
        </svg>
        ${
          unread > 0
            ? html`<span class="badge" part="badge" aria-hidden="true"
                >${unread > 99 ? "99+" : unread}</span
              >`
            : nothing
        }
      </button>
      <section
        id="panel"
        class="panel"
        part="panel"
        role="dialog"
        aria-labelledby="panel-heading"
        ?hidden=${!this.open}
      >
        <div class="panel__header" part="panel__header">
          ${
            prefs
              ? html`<button
                  type="button"
                  class="link-button"
                  aria-label=${t.backToNotifications}
                  @click=${this.#showList}
                >
                  ←
                </button>`
              : nothing
          }
          <h2 id="panel-heading" class="panel__heading" tabindex="-1">
            ${prefs ? t.notificationSettings : t.notifications}
          </h2>
          ${
            prefs
              ? nothing
              : html`<button
                    type="button"
                    class="link-button"
                    part="mark-all-button"
                    ?disabled=${unread === 0 && this.items.every((item) => item.read)}
                    @click=${this.#markAllRead}
                  >
                    ${t.markAllRead}
                  </button>
                  <button
                    type="button"
                    class="link-button"
                    aria-label=${t.notificationSettings}
                    title=${t.notificationSettings}
                    @click=${this.#showPreferences}
                  >
                    <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
                      <path
                        d="M19.4 13a7.5 7.5 0 0 0 0-2l2-1.6-2-3.4-2.4 1a7 7 0 0 0-1.7-1L15 3.5h-4l-.4 2.5a7 7 0 0 0-1.7 1l-2.4-1-2 3.4 2 1.6a7.5 7.5 0 0 0 0 2l-2 1.6 2 3.4 2.4-1a7 7 0 0 0 1.7 1l.4 2.5h4l.4-2.5a7 7 0 0 0 1.7-1l2.4 1 2-3.4-2-1.6ZM13 15.5a3.5 3.5 0 1 1 0-7 3.5 3.5 0 0 1 0 7Z"
                        transform="translate(-1 0)"
                      />
                    </svg>
                  </button>`
          }
        </div>
        ${prefs ? this.#renderPreferences() : this.#renderList()}
      </section>
      <div class="sr-only" role="status" aria-live="polite">${this.announcement}</div>
    </div>`;
  }
}

HearthMemberElement.define("hearth-notifications", HearthNotifications);

declare global {
  interface HTMLElementTagNameMap {
    "hearth-notifications": HearthNotifications;
  }
}
