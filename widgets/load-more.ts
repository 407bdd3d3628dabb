import { html, nothing, type TemplateResult } from "lit";
import { describeError } from "./i18n/index.ts";
import type { Translation } from "./i18n/translation.ts";

/** The "load more" button under a list, with its busy label and the error of a failed load. */
export function renderLoadMore(
  t: Translation,
  options: {
    label: string;
    buttonClass: string;
    loading: boolean;
    error: unknown;
    onClick: () => void;
  },
): TemplateResult {
  return html`<div class="more">
    <button
      type="button"
      class=${options.buttonClass}
      part="load-more-button"
      ?disabled=${options.loading}
      @click=${options.onClick}
    >
      ${options.loading ? t.loadingMore : options.label}
    </button>
    ${
      options.error
        ? html`<p class="error" role="alert">${describeError(t, options.error)}</p>`
        : nothing
    }
  </div>`;
}
