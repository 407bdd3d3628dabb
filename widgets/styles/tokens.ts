import { css } from "lit";

/**
 * Design tokens of a top-level widget. Public `--hearth-*` properties may be set on `:root`
 * or on the element; components read the private `--_*` copies. Nested parts inherit them.
 */
export const tokens = css`
  :host {
    --_accent: var(--hearth-accent, #2563eb);
    --_on-accent: var(--hearth-on-accent, #ffffff);
    --_text: var(--hearth-text, #1f2937);
    --_muted: var(--hearth-muted, #5f6b7a);
    --_surface: var(--hearth-surface, #ffffff);
    --_border: var(--hearth-border, #e3e6eb);
    --_danger: var(--hearth-danger, #b42318);
    --_radius: var(--hearth-radius, 10px);
    --_font: var(
      --hearth-font,
      ui-sans-serif,
      system-ui,
      -apple-system,
      "Segoe UI",
      Roboto,
      "Helvetica Neue",
      Arial,
      sans-serif
    );
    --_subtle: color-mix(in srgb, var(--_text) 4%, var(--_surface));
    --_tint: color-mix(in srgb, var(--_accent) 12%, var(--_surface));
    color-scheme: light;
    color: var(--_text);
    font-family: var(--_font);
  }

  @media (prefers-color-scheme: dark) {
    :host(:not([theme="light"])) {
      --_accent: var(--hearth-accent, #7aa7ff);
      --_on-accent: var(--hearth-on-accent, #0b1220);
      --_text: var(--hearth-text, #e6e8eb);
      --_muted: var(--hearth-muted, #9aa4b2);
      --_surface: var(--hearth-surface, #15181d);
      --_border: var(--hearth-border, #2c313a);
      --_danger: var(--hearth-danger, #ff8a80);
      color-scheme: dark;
    }
  }

  :host([theme="dark"]) {
    --_accent: var(--hearth-accent, #7aa7ff);
    --_on-accent: var(--hearth-on-accent, #0b1220);
    --_text: var(--hearth-text, #e6e8eb);
    --_muted: var(--hearth-muted, #9aa4b2);
    --_surface: var(--hearth-surface, #15181d);
    --_border: var(--hearth-border, #2c313a);
    --_danger: var(--hearth-danger, #ff8a80);
    color-scheme: dark;
  }
`;
