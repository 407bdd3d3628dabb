import { css } from "lit";

export const federationBlocksStyles = css`
  :host {
    display: block;
  }
  h3 {
    margin: 0 0 0.25rem;
    font-size: 1.05rem;
  }
  h3:focus {
    outline: none;
  }
  h4 {
    margin: 0 0 0.5rem;
    font-size: 0.95rem;
  }
  p {
    margin: 0.25rem 0;
  }
  .muted,
  .hint {
    color: var(--_muted);
  }
  .hint {
    font-size: 0.8rem;
  }
  .note {
    padding: 0.5rem 0.75rem;
    border-left: 3px solid var(--_accent);
    background: var(--_subtle);
    font-size: 0.9rem;
  }
  .list {
    list-style: none;
    margin: 0.75rem 0 1.25rem;
    padding: 0;
  }
  .list li {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 0.25rem 0.6rem;
    padding: 0.5rem 0;
    border-bottom: 1px solid var(--_border);
    font-size: 0.9rem;
  }
  .target {
    font-weight: 700;
    overflow-wrap: anywhere;
  }
  .reason {
    flex-basis: 100%;
    margin: 0;
    color: var(--_muted);
  }
  .list .link-button {
    margin-left: auto;
  }
  .badge {
    padding: 0.05rem 0.5rem;
    border-radius: 999px;
    background: var(--_subtle);
    color: var(--_muted);
    font-size: 0.75rem;
    font-weight: 700;
  }
  .badge--suspend {
    background: color-mix(in srgb, var(--_danger) 14%, var(--_surface));
    color: var(--_danger);
  }
  .state {
    margin: 0;
    padding: 1rem 0;
    color: var(--_muted);
  }
  form {
    display: grid;
    gap: 0.5rem;
    max-width: 36rem;
    padding: 0.9rem;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  label {
    font-size: 0.9rem;
    font-weight: 600;
  }
  input[type="text"] {
    padding: 0.35rem 0.5rem;
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) * 0.6);
    background: var(--_surface);
    color: var(--_text);
    font: inherit;
  }
  input[aria-invalid="true"] {
    border-color: var(--_danger);
  }
  fieldset {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem 1rem;
    margin: 0;
    padding: 0;
    border: 0;
  }
  legend {
    margin-bottom: 0.25rem;
    padding: 0;
    font-size: 0.9rem;
    font-weight: 600;
  }
  fieldset label {
    display: inline-flex;
    align-items: baseline;
    gap: 0.35rem;
    font-weight: 400;
  }
  .form__buttons {
    display: flex;
    gap: 0.5rem;
  }
`;
