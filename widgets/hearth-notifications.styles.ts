import { css } from "lit";

export const notificationsStyles = css`
  :host {
    display: inline-block;
    position: relative;
    font-size: 1rem;
    line-height: 1.45;
  }
  .bell {
    position: relative;
    display: inline-flex;
    align-items: center;
    justify-content: center;
    width: 2.5rem;
    height: 2.5rem;
    padding: 0;
    border: 1px solid transparent;
    border-radius: 999px;
    background: transparent;
    color: inherit;
    cursor: pointer;
  }
  .bell:hover,
  .bell[aria-expanded="true"] {
    background: var(--_subtle);
    border-color: var(--_border);
  }
  .bell svg {
    fill: currentColor;
  }
  .badge {
    position: absolute;
    top: 0;
    right: -0.15rem;
    min-width: 1.25rem;
    padding: 0 0.3rem;
    border-radius: 999px;
    background: var(--_accent);
    color: var(--_on-accent);
    font-size: 0.7rem;
    font-weight: 700;
    line-height: 1.25rem;
    text-align: center;
  }
  .panel {
    position: absolute;
    z-index: 50;
    top: calc(100% + 0.4rem);
    right: 0;
    width: min(24rem, calc(100vw - 1.5rem));
    max-height: min(32rem, 75vh);
    overflow: auto;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    color: var(--_text);
    box-shadow: 0 12px 32px -12px rgb(0 0 0 / 0.35);
    font-family: var(--_font);
    text-align: start;
  }
  .panel__header {
    position: sticky;
    top: 0;
    display: flex;
    align-items: center;
    gap: 0.25rem;
    padding: 0.6rem 0.6rem 0.6rem 1rem;
    border-bottom: 1px solid var(--_border);
    background: var(--_surface);
  }
  .panel__heading {
    flex: 1;
    margin: 0;
    font-size: 1rem;
  }
  .panel__heading:focus {
    outline: none;
  }
  .link-button svg {
    fill: currentColor;
  }
  .state {
    margin: 0;
    padding: 1.25rem 1rem;
    color: var(--_muted);
    font-size: 0.9rem;
  }
  .list {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  .item {
    display: flex;
    align-items: flex-start;
    border-bottom: 1px solid var(--_border);
  }
  .item--unread {
    background: var(--_tint);
  }
  .item__link {
    flex: 1;
    display: grid;
    gap: 0.15rem;
    padding: 0.7rem 0.5rem 0.7rem 1rem;
    color: inherit;
    text-decoration: none;
    font-size: 0.9rem;
  }
  a.item__link:hover .item__text {
    text-decoration: underline;
  }
  .item--unread .item__text {
    font-weight: 600;
  }
  .item__excerpt {
    color: var(--_muted);
    overflow: hidden;
    display: -webkit-box;
    -webkit-line-clamp: 2;
    -webkit-box-orient: vertical;
  }
  .item__time {
    color: var(--_muted);
    font-size: 0.8rem;
  }
  .mark-read {
    flex: none;
    margin: 0.55rem 0.5rem 0 0;
    width: 1.75rem;
    height: 1.75rem;
    border: 0;
    border-radius: 999px;
    background: none;
    cursor: pointer;
  }
  .mark-read span {
    display: block;
    width: 0.6rem;
    height: 0.6rem;
    margin: auto;
    border-radius: 999px;
    background: var(--_accent);
  }
  .mark-read:hover {
    background: var(--_subtle);
  }
  .more {
    padding: 0.5rem 1rem;
    text-align: center;
  }
  .preferences {
    padding: 0.75rem 1rem 1rem;
  }
  .preferences fieldset {
    margin: 0;
    padding: 0;
    border: 0;
  }
  .preferences legend {
    padding: 0;
    margin-bottom: 0.5rem;
    font-weight: 600;
    font-size: 0.9rem;
  }
  .pref {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: 0.75rem;
    padding: 0.35rem 0;
    font-size: 0.9rem;
  }
  .pref select,
  select {
    padding: 0.25rem 0.4rem;
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) * 0.6);
    background: var(--_surface);
  }
  .muted-heading {
    margin: 1rem 0 0.25rem;
    font-size: 0.9rem;
  }
  .muted {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  .muted li {
    display: flex;
    justify-content: space-between;
    align-items: center;
    font-size: 0.9rem;
  }
  .muted + .state,
  .preferences .state {
    padding: 0.25rem 0;
  }
`;
