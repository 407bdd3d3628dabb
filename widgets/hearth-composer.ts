import { html, nothing } from "lit";
import { composerStyles } from "./hearth-composer.styles.ts";
import { HearthElement } from "./hearth-element.ts";
import { describeError } from "./i18n/index.ts";
import { base } from "./styles/base.ts";

/** Receives the text and the request's idempotency key; rejects to keep the text. */
export type ComposerSubmit = (body: string, idempotencyKey: string) => Promise<void>;

const isMac = typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform);

/**
 * @summary A labelled Markdown text box with a counter, used by `<hearth-thread>` to write,
 * reply and edit. Internal: it reports through the `submitHandler` and `cancelHandler`
 * properties so the thread can await the server.
 *
 * @csspart composer - The form.
 * @csspart composer__label - The label above the text box.
 * @csspart composer__textarea - The text box.
 * @csspart composer__hint - The Markdown and shortcut hint.
 * @csspart composer__counter - The character counter.
 * @csspart composer__submit - The send button.
 * @csspart composer__cancel - The cancel button (replies and edits).
 * @csspart composer__error - The error message.
 */
export class HearthComposer extends HearthElement {
  static override styles = [base, composerStyles];

  static override properties = {
    label: {},
    submitLabel: { attribute: "submit-label" },
    busyLabel: { attribute: "busy-label" },
    value: {},
    maxLength: { type: Number, attribute: "max-length" },
    compact: { type: Boolean, reflect: true },
    optimistic: { type: Boolean },
    submitHandler: { attribute: false },
    cancelHandler: { attribute: false },
    busy: { state: true },
    error: { state: true },
  };

  declare label: string;
  declare submitLabel: string;
  declare busyLabel: string;
  /** The text; set it to prefill (edits). */
  declare value: string;
  declare maxLength: number;
  /** Smaller, for replies and edits. */
  declare compact: boolean;
  /** Empty the box while sending, because the thread already shows the comment. */
  declare optimistic: boolean;
  declare submitHandler: ComposerSubmit | null;
  /** When set, a Cancel button (and Escape) calls it. */
  declare cancelHandler: (() => void) | null;
  declare busy: boolean;
  declare error: string;

  /** Kept while the same text is resent, so a retry cannot post twice. */
  #idempotencyKey: string | null = null;

  constructor() {
    super();
    this.label = "";
    this.submitLabel = "";
    this.busyLabel = "";
    this.value = "";
    this.maxLength = 10_000;
    this.compact = false;
    this.optimistic = false;
    this.submitHandler = null;
    this.cancelHandler = null;
    this.busy = false;
    this.error = "";
  }

  /** Moves focus into the text box. */
  override focus(options?: FocusOptions): void {
    const textarea = this.renderRoot.querySelector("textarea");
    if (!textarea) return;
    textarea.focus(options);
    // An edit starts at the end of the text.
    textarea.setSelectionRange(textarea.value.length, textarea.value.length);
  }

  #onInput(event: Event): void {
    this.value = (event.target as HTMLTextAreaElement).value;
    this.#idempotencyKey = null;
    if (this.error) this.error = "";
  }

  #onKeydown(event: KeyboardEvent): void {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      this.renderRoot.querySelector("form")?.requestSubmit();
    } else if (event.key === "Escape" && this.cancelHandler && !this.busy) {
      event.preventDefault();
      this.cancelHandler();
    }
  }

  async #onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const text = this.value;
    if (this.busy || !this.submitHandler || !text.trim() || text.length > this.maxLength) return;
    this.#idempotencyKey ??= crypto.randomUUID();
    this.busy = true;
    this.error = "";
    // An optimistic thread shows the comment at once, so the box empties; a failure brings
    // the text back.
    if (this.optimistic) this.value = "";
    try {
      await this.submitHandler(text, this.#idempotencyKey);
      this.#idempotencyKey = null;
    } catch (error) {
      this.value = text;
      this.error = describeError(this.t, error);
      await this.updateComplete;
      this.focus();
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const t = this.t;
    const length = this.value.length;
    const over = length - this.maxLength;
    const nearLimit = length > this.maxLength * 0.9;
    const counter =
      over > 0
        ? t.charactersOver(over)
        : nearLimit
          ? t.charactersLeft(this.maxLength - length)
          : `${length.toLocaleString(t.$code)} / ${this.maxLength.toLocaleString(t.$code)}`;
    const canSend = !this.busy && this.value.trim().length > 0 && over <= 0;
    return html`
      <form part="composer" @submit=${this.#onSubmit} novalidate>
        <label part="composer__label" for="text">${this.label}</label>
        <textarea
          id="text"
          part="composer__textarea"
          .value=${this.value}
          placeholder=${t.placeholder}
          aria-describedby="hint counter${this.error ? " error" : ""}"
          aria-invalid=${over > 0 || this.error ? "true" : "false"}
          ?readonly=${this.busy}
          @input=${this.#onInput}
          @keydown=${this.#onKeydown}
        ></textarea>
        <div class="footer">
          <p id="hint" part="composer__hint" class="hint">
            ${t.markdownHint.split(", ").map((item) => html`<code>${item}</code> `)}
            <span class="shortcut">${t.shortcutHint(isMac ? "⌘" : "Ctrl")}</span>
          </p>
          <span
            id="counter"
            part="composer__counter"
            class="counter ${over > 0 ? "counter--over" : ""}"
            >${counter}</span
          >
          <div class="actions">
            ${
              this.cancelHandler
                ? html`<button
                    type="button"
                    part="composer__cancel"
                    class="button button--secondary"
                    ?disabled=${this.busy}
                    @click=${() => this.cancelHandler?.()}
                  >
                    ${t.cancel}
                  </button>`
                : nothing
            }
            <button type="submit" part="composer__submit" class="button" ?disabled=${!canSend}>
              ${this.busy ? this.busyLabel : this.submitLabel}
            </button>
          </div>
        </div>
        ${
          this.error
            ? html`<p id="error" part="composer__error" class="error" role="alert">${this.error}</p>`
            : nothing
        }
      </form>
    `;
  }
}

HearthElement.define("hearth-composer", HearthComposer);

declare global {
  interface HTMLElementTagNameMap {
    "hearth-composer": HearthComposer;
  }
}
