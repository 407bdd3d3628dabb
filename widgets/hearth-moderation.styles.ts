import { css } from "lit";

export const moderationStyles = css`
  :host {
    display: block;
    font-size: 1rem;
    line-height: 1.5;
  }
  .base {
    background: var(--_surface);
    color: var(--_text);
  }
  .header {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: 0.75rem;
    padding-bottom: 0.75rem;
    margin-bottom: 1rem;
    border-bottom: 1px solid var(--_border);
  }
  h2 {
    margin: 0;
    font-size: 1.25rem;
  }
  h2:focus,
  h3:focus {
    outline: none;
  }
  .tabs {
    display: inline-flex;
    gap: 0.25rem;
    padding: 3px;
    border: 1px solid var(--_border);
    border-radius: 999px;
    background: var(--_subtle);
  }
  [role="tab"] {
    padding: 0.25rem 0.9rem;
    border: 0;
    border-radius: 999px;
    background: none;
    color: var(--_muted);
    font-size: 0.9rem;
    font-weight: 600;
    cursor: pointer;
  }
  [role="tab"][aria-selected="true"] {
    background: var(--_surface);
    color: var(--_text);
    box-shadow: 0 0 0 1px var(--_border);
  }
  .layout {
    display: grid;
    gap: 1.25rem;
    grid-template-columns: minmax(0, 1fr);
  }
  @media (min-width: 60rem) {
    .layout:has(.member) {
      grid-template-columns: minmax(0, 1fr) 20rem;
    }
  }
  .muted {
    color: var(--_muted);
  }
  .state {
    margin: 0;
    padding: 1.5rem 0;
    color: var(--_muted);
  }
  .filter {
    display: flex;
    align-items: center;
    gap: 0.5rem;
    margin-bottom: 0.75rem;
    font-size: 0.9rem;
  }
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem 0.75rem;
    margin-bottom: 0.75rem;
  }
  .check {
    display: inline-flex;
    align-items: center;
    gap: 0.4rem;
    font-size: 0.9rem;
  }
  .hint {
    flex-basis: 100%;
    margin: 0;
    font-size: 0.8rem;
  }
  .queue,
  .audit,
  .recent {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  .item {
    display: flex;
    gap: 0.75rem;
    padding: 0.9rem;
    margin-bottom: 0.75rem;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  .item--current {
    border-color: var(--_accent);
    box-shadow: 0 0 0 1px var(--_accent);
  }
  .item__main {
    flex: 1;
    min-width: 0;
  }
  .item__header {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 0.25rem 0.6rem;
    font-size: 0.9rem;
  }
  .author {
    padding: 0;
    border: 0;
    background: none;
    color: var(--_accent);
    font-weight: 700;
    text-decoration: underline;
    cursor: pointer;
  }
  .badge {
    padding: 0.05rem 0.5rem;
    border-radius: 999px;
    background: var(--_subtle);
    color: var(--_muted);
    font-size: 0.75rem;
    font-weight: 700;
  }
  .badge--warn {
    background: color-mix(in srgb, var(--_danger) 14%, var(--_surface));
    color: var(--_danger);
  }
  .item__context p,
  .reasons p {
    margin: 0.35rem 0 0;
    font-size: 0.85rem;
  }
  .parent {
    margin: 0.4rem 0 0;
    padding: 0.1rem 0 0.1rem 0.75rem;
    border-left: 3px solid var(--_border);
    font-size: 0.9rem;
  }
  .body {
    overflow-wrap: anywhere;
  }
  .body p {
    margin: 0.3rem 0;
  }
  .item__body {
    margin: 0.5rem 0;
  }
  .reasons ul,
  .screening ul {
    margin: 0.25rem 0 0;
    padding-left: 1.1rem;
    font-size: 0.85rem;
  }
  .screening p {
    font-weight: 600;
  }
  .score {
    color: var(--_muted);
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    margin-top: 0.75rem;
  }
  kbd {
    padding: 0 0.3rem;
    border: 1px solid currentColor;
    border-radius: 4px;
    font: inherit;
    font-size: 0.75rem;
    opacity: 0.8;
  }
  .confirm {
    display: grid;
    gap: 0.5rem;
    margin-top: 0.75rem;
    padding: 0.75rem;
    border: 1px solid var(--_danger);
    border-radius: var(--_radius);
  }
  .confirm__question {
    margin: 0;
    font-weight: 700;
  }
  .confirm label:not(.check) {
    display: grid;
    gap: 0.2rem;
    font-size: 0.9rem;
  }
  .confirm input[type="text"],
  select {
    padding: 0.35rem 0.5rem;
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) * 0.6);
    background: var(--_surface);
  }
  .confirm__buttons {
    display: flex;
    gap: 0.5rem;
  }
  .member {
    align-self: start;
    padding: 1rem;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_subtle);
  }
  .member__header {
    display: flex;
    justify-content: space-between;
    align-items: center;
  }
  .member h3 {
    margin: 0;
    font-size: 1.05rem;
  }
  .member h4 {
    margin: 1rem 0 0.25rem;
    font-size: 0.9rem;
  }
  .member p {
    margin: 0.35rem 0 0;
    font-size: 0.85rem;
  }
  .recent li {
    padding: 0.4rem 0;
    border-top: 1px solid var(--_border);
    font-size: 0.9rem;
  }
  .audit li {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem 0.75rem;
    padding: 0.5rem 0;
    border-bottom: 1px solid var(--_border);
    font-size: 0.9rem;
  }
  .audit time {
    color: var(--_muted);
    min-width: 7rem;
  }
  .more {
    margin-top: 0.75rem;
    text-align: center;
  }
`;
