import { html, nothing, type PropertyValues, type TemplateResult } from "lit";
import { HearthApiError, type HearthClient } from "./api.ts";
import { federationBlocksStyles } from "./federation-blocks.styles.ts";
import { HearthElement } from "./hearth-element.ts";
import { federationBlocksDe } from "./i18n/federation-blocks-de.ts";
import { federationBlocksEn } from "./i18n/federation-blocks-en.ts";
import { federationBlocksFr } from "./i18n/federation-blocks-fr.ts";
import type { FederationBlocksTranslation } from "./i18n/federation-blocks-translation.ts";
import { describeError, type Locale, relativeTime } from "./i18n/index.ts";
import { base } from "./styles/base.ts";
import { tokens } from "./styles/tokens.ts";
import type { FederationBlock } from "./types.ts";

const STRINGS: Record<Locale, FederationBlocksTranslation> = {
  en: federationBlocksEn,
  de: federationBlocksDe,
  fr: federationBlocksFr,
};

type Status = "idle" | "loading" | "error" | "ready";

/**
 * @summary Instance and actor blocks, the Fediverse tab of `<hearth-moderation>`: the list
 * (each with a remove button), and a form to block an instance or one account, suspended
 * (nothing in or out) or silenced (replies held), with a reason. The desk passes its API
 * client in `client`; everything is plain form controls, so it is used with the keyboard
 * like any form, and changes are announced to screen readers.
 */
export class HearthFederationBlocks extends HearthElement {
  static override styles = [tokens, base, federationBlocksStyles];

  static override properties = {
    client: { attribute: false },
    status: { state: true },
    error: { state: true },
    blocks: { state: true },
    federation: { state: true },
    busy: { state: true },
    formError: { state: true },
    actionError: { state: true },
    announcement: { state: true },
  };

  /** The desk's API client (signed in as a moderator). */
  declare client: HearthClient | null;
  declare status: Status;
  declare error: unknown;
  declare blocks: FederationBlock[];
  /** Whether the server federates; null until known. */
  declare federation: boolean | null;
  declare busy: boolean;
  declare formError: string;
  /** Why removing a block failed. */
  declare actionError: string;
  declare announcement: string;

  constructor() {
    super();
    this.client = null;
    this.status = "idle";
    this.error = null;
    this.blocks = [];
    this.federation = null;
    this.busy = false;
    this.formError = "";
    this.actionError = "";
    this.announcement = "";
  }

  get b(): FederationBlocksTranslation {
    return STRINGS[this.locale];
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("client") && this.client) void this.reload();
  }

  /** Loads the blocks again. */
  async reload(): Promise<void> {
    const client = this.client;
    if (!client) return;
    this.status = "loading";
    this.error = null;
    try {
      const list = await client.modFederationBlocks();
      if (client !== this.client) return;
      this.blocks = list.blocks;
      this.federation = list.federation;
      this.status = "ready";
    } catch (error) {
      if (client !== this.client) return;
      this.error = error;
      this.status = "error";
    }
  }

  #announce(message: string): void {
    this.announcement = "";
    requestAnimationFrame(() => {
      this.announcement = message;
    });
  }

  #focus(selector: string): void {
    void this.updateComplete.then(() =>
      this.renderRoot.querySelector<HTMLElement>(selector)?.focus(),
    );
  }

  async #add(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (!this.client || this.busy) return;
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const target = String(data.get("target") ?? "").trim();
    const reason = String(data.get("reason") ?? "").trim();
    if (!target) {
      this.formError = this.b.targetInvalid;
      this.#focus("#block-target");
      return;
    }
    this.busy = true;
    this.formError = "";
    try {
      const { block } = await this.client.addFederationBlock({
        target,
        kind: data.get("kind") === "actor" ? "actor" : "instance",
        level: data.get("level") === "silence" ? "silence" : "suspend",
        ...(reason ? { reason } : {}),
      });
      const others = this.blocks.filter((known) => known.id !== block.id);
      this.blocks = [...others, block];
      form.reset();
      this.#announce(this.b.announceAdded(block.target));
    } catch (error) {
      this.formError =
        error instanceof HearthApiError && error.code === "validation_failed"
          ? this.b.targetInvalid
          : describeError(this.t, error);
    } finally {
      this.busy = false;
      this.#focus("#block-target");
    }
  }

  async #remove(block: FederationBlock, index: number): Promise<void> {
    if (!this.client || this.busy) return;
    this.busy = true;
    this.actionError = "";
    try {
      await this.client.removeFederationBlock(block.id);
      this.blocks = this.blocks.filter((known) => known.id !== block.id);
      this.#announce(this.b.announceRemoved(block.target));
      // Focus the block that took this one's place, else the one before, else the heading.
      const next = Math.min(index, this.blocks.length - 1);
      this.#focus(next >= 0 ? `#remove-${this.blocks[next]!.id}` : "#blocks-heading");
    } catch (error) {
      this.actionError = describeError(this.t, error);
    } finally {
      this.busy = false;
    }
  }

  #renderList(): TemplateResult {
    const b = this.b;
    const t = this.t;
    if (this.status === "error" && this.blocks.length === 0) {
      return html`<div class="state" role="alert">
        <p>${describeError(t, this.error)}</p>
        <button type="button" class="button button--secondary" @click=${() => this.reload()}>
          ${t.retry}
        </button>
      </div>`;
    }
    if (this.status !== "ready" && this.blocks.length === 0) {
      return html`<p class="state" role="status">${b.loading}</p>`;
    }
    if (this.blocks.length === 0) return html`<p class="state">${b.empty}</p>`;
    return html`<ul class="list" aria-label=${b.blocks}>
      ${this.blocks.map(
        (block, index) => html`<li>
          <span class="target">${block.target}</span>
          <span class="badge">${b.kindName(block.kind)}</span>
          <span class="badge badge--${block.level}">${b.levelName(block.level)}</span>
          <time class="muted" datetime=${block.createdAt}
            >${b.addedAgo(relativeTime(t, block.createdAt))}</time
          >
          <button
            type="button"
            class="link-button"
            id="remove-${block.id}"
            aria-label=${b.removeLabel(block.target)}
            ?disabled=${this.busy}
            @click=${() => this.#remove(block, index)}
          >
            ${b.remove}
          </button>
          ${block.reason ? html`<p class="reason">“${block.reason}”</p>` : nothing}
        </li>`,
      )}
    </ul>`;
  }

  override render() {
    const b = this.b;
    const invalid = this.formError !== "";
    return html`<section part="federation-blocks" aria-labelledby="blocks-heading">
      <h3 id="blocks-heading" tabindex="-1">${b.heading}</h3>
      <p class="muted">${b.intro}</p>
      ${this.federation === false ? html`<p class="note">${b.federationOff}</p>` : nothing}
      ${this.actionError ? html`<p class="error" role="alert">${this.actionError}</p>` : nothing}
      ${this.#renderList()}
      <form aria-labelledby="add-heading" novalidate @submit=${this.#add}>
        <h4 id="add-heading">${b.addHeading}</h4>
        <label for="block-target">${b.target}</label>
        <input
          id="block-target"
          name="target"
          type="text"
          required
          maxlength="2000"
          autocomplete="off"
          spellcheck="false"
          aria-invalid=${invalid ? "true" : "false"}
          aria-describedby=${invalid ? "block-error block-target-hint" : "block-target-hint"}
        />
        <p id="block-target-hint" class="hint">${b.targetHint}</p>
        <fieldset>
          <legend>${b.scope}</legend>
          <label><input type="radio" name="kind" value="instance" checked /> ${b.scopeInstance}</label>
          <label><input type="radio" name="kind" value="actor" /> ${b.scopeActor}</label>
        </fieldset>
        <fieldset>
          <legend>${b.level}</legend>
          <label
            ><input type="radio" name="level" value="suspend" checked /> ${b.suspend}
            <span class="hint">(${b.suspendHint})</span></label
          >
          <label
            ><input type="radio" name="level" value="silence" /> ${b.silence}
            <span class="hint">(${b.silenceHint})</span></label
          >
        </fieldset>
        <label for="block-reason">${b.reason}</label>
        <input id="block-reason" name="reason" type="text" maxlength="1000" autocomplete="off" />
        ${invalid ? html`<p id="block-error" class="error" role="alert">${this.formError}</p>` : nothing}
        <div class="form__buttons">
          <button type="submit" class="button" ?disabled=${this.busy}>
            ${this.busy ? b.adding : b.add}
          </button>
        </div>
      </form>
      <div class="sr-only" role="status" aria-live="polite">${this.announcement}</div>
    </section>`;
  }
}

HearthElement.define("hearth-federation-blocks", HearthFederationBlocks);

declare global {
  interface HTMLElementTagNameMap {
    "hearth-federation-blocks": HearthFederationBlocks;
  }
}
