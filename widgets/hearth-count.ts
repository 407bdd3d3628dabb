import { css, html } from "lit";
import { fetchCount } from "./api.ts";
import { HearthElement } from "./hearth-element.ts";

/**
 * @summary The number of comments in a thread ("3 comments"), for article lists and headers.
 * All counts on a page are fetched together in one request. The count refreshes when a
 * `<hearth-thread>` for the same thread reports a new or deleted comment.
 *
 * It takes the page's font and colour.
 *
 * @csspart base - The text.
 */
export class HearthCount extends HearthElement {
  static override styles = css`
    :host {
      display: inline;
    }
    .loading {
      opacity: 0.5;
    }
  `;

  static override properties = {
    thread: {},
    count: { state: true },
    failed: { state: true },
  };

  /** The host's key for the thread. */
  declare thread: string;
  declare count: number | null;
  declare failed: boolean;

  #requestId = 0;

  constructor() {
    super();
    this.thread = "";
    this.count = null;
    this.failed = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener("hearth-comment-posted", this.#onChange);
    document.addEventListener("hearth-comment-deleted", this.#onChange);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener("hearth-comment-posted", this.#onChange);
    document.removeEventListener("hearth-comment-deleted", this.#onChange);
  }

  #onChange = (event: Event) => {
    const comment = (event as { comment?: { threadKey?: string } }).comment;
    if (comment?.threadKey === this.thread) void this.#fetch();
  };

  protected override updated(changed: Map<PropertyKey, unknown>): void {
    if (changed.has("thread") || changed.has("server")) void this.#fetch();
  }

  async #fetch(): Promise<void> {
    if (!this.thread) return;
    const requestId = ++this.#requestId;
    try {
      const count = await fetchCount(this.serverUrl, this.thread);
      if (requestId !== this.#requestId) return;
      this.count = count ?? 0;
      this.failed = false;
    } catch {
      if (requestId === this.#requestId) this.failed = true;
    }
  }

  override render() {
    if (this.count === null) {
      // Nothing meaningful to say yet (or the server could not be reached).
      return html`<span part="base" class="loading" aria-busy=${this.failed ? "false" : "true"}
        >${this.failed ? "" : "…"}</span
      >`;
    }
    return html`<span part="base">${this.t.commentCount(this.count)}</span>`;
  }
}

HearthElement.define("hearth-count", HearthCount);

declare global {
  interface HTMLElementTagNameMap {
    "hearth-count": HearthCount;
  }
}
