import { css } from "lit";

export const composerStyles = css`
  :host {
    display: block;
  }
  form {
    display: grid;
    gap: 0.5rem;
  }
  label {
    font-size: 0.9rem;
    font-weight: 600;
  }
  :host([compact]) label {
    font-size: 0.85rem;
    color: var(--_muted);
  }
  textarea {
    display: block;
    width: 100%;
    min-height: 6.5rem;
    padding: 0.7rem 0.85rem;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    font-size: 0.95rem;
    line-height: 1.5;
    max-height: 24rem;
    resize: vertical;
    field-sizing: content;
    transition:
      border-color 120ms ease,
      box-shadow 120ms ease;
  }
  :host([compact]) textarea {
    min-height: 4.5rem;
  }
  textarea::placeholder {
    color: var(--_muted);
  }
  textarea:focus {
    outline: none;
    border-color: var(--_accent);
    box-shadow: 0 0 0 3px color-mix(in srgb, var(--_accent) 22%, transparent);
  }
  textarea[aria-invalid="true"] {
    border-color: var(--_danger);
  }
  textarea:disabled {
    opacity: 0.7;
  }
  .footer {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem 1rem;
  }
  .hint {
    flex: 1 1 16rem;
    margin: 0;
    color: var(--_muted);
    font-size: 0.8rem;
    line-height: 1.4;
  }
  .hint code {
    margin-right: 0.15rem;
    font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
    font-size: 0.95em;
    white-space: nowrap;
  }
  .shortcut {
    white-space: nowrap;
  }
  .shortcut::before {
    content: "·";
    margin: 0 0.4rem 0 0.1rem;
  }
  .counter {
    color: var(--_muted);
    font-size: 0.8rem;
    font-variant-numeric: tabular-nums;
  }
  .counter--over {
    color: var(--_danger);
    font-weight: 600;
  }
  .actions {
    display: flex;
    gap: 0.5rem;
    margin-left: auto;
  }
`;
