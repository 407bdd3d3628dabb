import { css } from "lit";

/** Shared basics: box sizing, buttons, focus rings, visually hidden text. */
export const base = css`
  :host {
    box-sizing: border-box;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  [hidden] {
    display: none !important;
  }

  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    padding: 0;
    margin: -1px;
    overflow: hidden;
    clip: rect(0, 0, 0, 0);
    white-space: nowrap;
    border: 0;
  }

  button,
  textarea,
  input,
  select {
    font: inherit;
    color: inherit;
  }

  .button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 0.4em;
    min-height: 2.25rem;
    padding: 0.4rem 1rem;
    border: 1px solid transparent;
    border-radius: calc(var(--_radius) * 0.8);
    background: var(--_accent);
    color: var(--_on-accent);
    font-size: 0.9rem;
    font-weight: 600;
    line-height: 1.2;
    cursor: pointer;
    transition:
      background-color 120ms ease,
      border-color 120ms ease,
      opacity 120ms ease;
  }
  .button:hover:not(:disabled) {
    background: color-mix(in srgb, var(--_accent) 88%, var(--_text));
  }
  .button:disabled {
    opacity: 0.55;
    cursor: not-allowed;
  }
  .button--secondary {
    background: transparent;
    color: var(--_text);
    border-color: var(--_border);
  }
  .button--secondary:hover:not(:disabled) {
    background: var(--_subtle);
  }
  .button--danger {
    background: var(--_danger);
    color: var(--_surface);
  }
  .button--danger:hover:not(:disabled) {
    background: color-mix(in srgb, var(--_danger) 85%, var(--_text));
  }

  .link-button {
    display: inline-flex;
    align-items: center;
    gap: 0.3em;
    padding: 0.25rem 0.5rem;
    border: 0;
    border-radius: calc(var(--_radius) * 0.6);
    background: none;
    color: var(--_muted);
    font-size: 0.85rem;
    font-weight: 600;
    cursor: pointer;
  }
  .link-button:hover:not(:disabled) {
    color: var(--_text);
    background: var(--_subtle);
  }
  .link-button:disabled {
    opacity: 0.55;
    cursor: not-allowed;
  }

  :focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }

  .error {
    color: var(--_danger);
    font-size: 0.875rem;
    margin: 0.5rem 0 0;
  }

  @media (prefers-reduced-motion: reduce) {
    *,
    *::before,
    *::after {
      transition: none !important;
      animation: none !important;
    }
  }
`;
