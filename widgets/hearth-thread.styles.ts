import { css } from "lit";

export const threadStyles = css`
  :host {
    display: block;
    font-size: 1rem;
    line-height: 1.55;
  }

  .base {
    container-type: inline-size;
    background: var(--_surface);
    color: var(--_text);
  }

  /* Header: title, count and sort */
  .header {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: 0.75rem 1rem;
    padding-bottom: 0.9rem;
    margin-bottom: 1.25rem;
    border-bottom: 1px solid var(--_border);
  }
  .heading {
    margin: 0;
    font-size: 1.2rem;
    font-weight: 700;
    letter-spacing: -0.01em;
  }
  .heading .count {
    margin-left: 0.35rem;
    color: var(--_muted);
    font-weight: 500;
  }
  .sort {
    display: inline-flex;
    margin: 0;
    padding: 3px;
    border: 1px solid var(--_border);
    border-radius: 999px;
    background: var(--_subtle);
  }
  .sort label {
    position: relative;
    display: inline-flex;
  }
  .sort input {
    position: absolute;
    inset: 0;
    opacity: 0;
    margin: 0;
    cursor: pointer;
  }
  .sort span {
    padding: 0.2rem 0.8rem;
    border-radius: 999px;
    color: var(--_muted);
    font-size: 0.85rem;
    font-weight: 600;
    transition:
      background-color 120ms ease,
      color 120ms ease;
  }
  .sort input:checked + span {
    background: var(--_surface);
    color: var(--_text);
    box-shadow:
      0 1px 2px rgb(0 0 0 / 0.08),
      0 0 0 1px var(--_border);
  }
  .sort input:focus-visible + span {
    outline: 2px solid var(--_accent);
    outline-offset: 1px;
  }

  /* Writing */
  .compose {
    display: flex;
    gap: 0.85rem;
    margin-bottom: 1.75rem;
  }
  .compose__main {
    flex: 1;
    min-width: 0;
  }
  .signed-in {
    margin: 0 0 0.35rem;
    color: var(--_muted);
    font-size: 0.8rem;
  }
  .note {
    margin: 0 0 1.75rem;
    padding: 0.85rem 1rem;
    border: 1px dashed var(--_border);
    border-radius: var(--_radius);
    background: var(--_subtle);
    color: var(--_muted);
    font-size: 0.925rem;
  }

  /* States */
  .state {
    padding: 2rem 1rem;
    border-radius: var(--_radius);
    background: var(--_subtle);
    color: var(--_muted);
    text-align: center;
  }
  .state p {
    margin: 0 0 0.75rem;
  }
  .state p:last-child {
    margin-bottom: 0;
  }
  .skeleton {
    display: grid;
    gap: 1.25rem;
  }
  .skeleton__row {
    display: flex;
    gap: 0.85rem;
  }
  .skeleton__avatar,
  .skeleton__line {
    background: var(--_subtle);
    animation: pulse 1.4s ease-in-out infinite;
  }
  .skeleton__avatar {
    flex: none;
    width: 2.5rem;
    height: 2.5rem;
    border-radius: 50%;
  }
  .skeleton__lines {
    flex: 1;
    display: grid;
    gap: 0.5rem;
  }
  .skeleton__line {
    height: 0.8rem;
    border-radius: 4px;
  }
  .skeleton__line:first-child {
    width: 30%;
  }
  .skeleton__line:last-child {
    width: 80%;
  }
  @keyframes pulse {
    50% {
      opacity: 0.45;
    }
  }

  /* The list */
  .comments,
  .replies {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  .comments > li + li {
    margin-top: 0.5rem;
    padding-top: 0.5rem;
    border-top: 1px solid var(--_border);
  }
  .replies {
    margin-left: 1.2rem;
    padding-left: 1.05rem;
    border-left: 2px solid var(--_border);
  }

  .comment {
    display: flex;
    gap: 0.85rem;
    padding: 0.75rem 0.5rem;
    margin: 0 -0.5rem;
    border-radius: var(--_radius);
    scroll-margin: 4rem;
  }
  .comment:focus {
    outline: none;
  }
  .comment:focus-visible {
    outline: 2px solid var(--_accent);
  }
  .comment--highlighted {
    background: var(--_tint);
    box-shadow: inset 3px 0 0 var(--_accent);
    animation: arrive 2.4s ease-out;
  }
  @keyframes arrive {
    from {
      box-shadow:
        inset 3px 0 0 var(--_accent),
        0 0 0 4px color-mix(in srgb, var(--_accent) 35%, transparent);
    }
  }
  .comment--pending {
    opacity: 0.65;
  }
  .comment--held {
    background: color-mix(in srgb, #f59e0b 8%, var(--_surface));
  }

  .avatar {
    flex: none;
    display: grid;
    place-items: center;
    width: 2.5rem;
    height: 2.5rem;
    border-radius: 50%;
    overflow: hidden;
    background: hsl(var(--_hue, 220) 55% 88%);
    color: hsl(var(--_hue, 220) 45% 28%);
    font-size: 0.9rem;
    font-weight: 700;
    letter-spacing: 0.02em;
    user-select: none;
  }
  :host([theme="dark"]) .avatar {
    background: hsl(var(--_hue, 220) 30% 26%);
    color: hsl(var(--_hue, 220) 70% 85%);
  }
  @media (prefers-color-scheme: dark) {
    :host(:not([theme="light"])) .avatar {
      background: hsl(var(--_hue, 220) 30% 26%);
      color: hsl(var(--_hue, 220) 70% 85%);
    }
  }
  .avatar img {
    width: 100%;
    height: 100%;
    object-fit: cover;
  }
  .avatar--empty {
    background: var(--_subtle);
    border: 1px dashed var(--_border);
  }
  .replies .avatar {
    width: 2rem;
    height: 2rem;
    font-size: 0.75rem;
  }

  .comment__main {
    flex: 1;
    min-width: 0;
  }
  .comment__header {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 0.15rem 0.5rem;
    font-size: 0.875rem;
  }
  .comment__author {
    font-weight: 700;
    color: var(--_text);
  }
  a.comment__author {
    text-decoration: none;
    border-radius: 4px;
  }
  a.comment__author:hover {
    text-decoration: underline;
  }
  .comment__handle,
  .comment__edited,
  .comment__replying-to {
    color: var(--_muted);
  }
  .comment__permalink {
    color: var(--_muted);
    text-decoration: none;
    border-radius: 4px;
  }
  .comment__permalink:hover {
    color: var(--_text);
    text-decoration: underline;
  }
  .comment__permalink::before {
    content: "·";
    margin-right: 0.5rem;
    color: var(--_muted);
  }
  .comment__replying-to {
    margin: 0.1rem 0 0;
    font-size: 0.8rem;
  }
  .badge {
    display: inline-block;
    padding: 0.05rem 0.5rem;
    border-radius: 999px;
    font-size: 0.72rem;
    font-weight: 700;
    letter-spacing: 0.02em;
    background: var(--_subtle);
    color: var(--_muted);
    border: 1px solid var(--_border);
  }
  .badge--held {
    background: color-mix(in srgb, #f59e0b 18%, var(--_surface));
    color: color-mix(in srgb, #b45309 85%, var(--_text));
    border-color: color-mix(in srgb, #f59e0b 40%, var(--_surface));
  }
  .badge--pinned {
    background: var(--_tint);
    color: var(--_accent);
    border-color: color-mix(in srgb, var(--_accent) 30%, var(--_surface));
  }

  .comment__body {
    margin-top: 0.3rem;
    overflow-wrap: anywhere;
  }
  .comment__body--pending {
    white-space: pre-wrap;
  }
  .comment__body > :first-child {
    margin-top: 0;
  }
  .comment__body > :last-child {
    margin-bottom: 0;
  }
  .comment__body p,
  .comment__body ul,
  .comment__body ol,
  .comment__body pre,
  .comment__body blockquote {
    margin: 0 0 0.65rem;
  }
  .comment__body a {
    color: var(--_accent);
    text-underline-offset: 2px;
  }
  .comment__body blockquote {
    padding: 0.1rem 0 0.1rem 0.85rem;
    border-left: 3px solid var(--_border);
    color: var(--_muted);
  }
  .comment__body code {
    padding: 0.1em 0.35em;
    border-radius: 4px;
    background: var(--_subtle);
    font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
    font-size: 0.875em;
  }
  .comment__body pre {
    padding: 0.75rem;
    overflow-x: auto;
    border-radius: calc(var(--_radius) * 0.8);
    background: var(--_subtle);
  }
  .comment__body pre code {
    padding: 0;
    background: none;
  }
  .comment__body ul,
  .comment__body ol {
    padding-left: 1.4rem;
  }
  .comment__tombstone {
    margin-top: 0.3rem;
    color: var(--_muted);
    font-style: italic;
  }

  .comment__actions {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.25rem;
    margin: 0.45rem 0 0 -0.5rem;
  }
  .reactions {
    display: inline-flex;
    flex-wrap: wrap;
    gap: 0.3rem;
    margin: 0 0.4rem 0 0.5rem;
  }
  .reaction {
    display: inline-flex;
    align-items: center;
    gap: 0.3rem;
    min-height: 1.85rem;
    padding: 0.1rem 0.55rem;
    border: 1px solid var(--_border);
    border-radius: 999px;
    background: var(--_surface);
    font-size: 0.8rem;
    font-variant-numeric: tabular-nums;
    cursor: pointer;
    transition:
      background-color 120ms ease,
      border-color 120ms ease;
  }
  .reaction:hover:not(:disabled) {
    background: var(--_subtle);
  }
  .reaction[aria-pressed="true"] {
    border-color: color-mix(in srgb, var(--_accent) 55%, var(--_surface));
    background: var(--_tint);
    color: var(--_accent);
    font-weight: 700;
  }
  .reaction:disabled {
    cursor: default;
  }
  .reaction[aria-disabled="true"] {
    cursor: progress;
  }
  .reaction__emoji {
    font-size: 0.95rem;
    line-height: 1;
  }
  .reaction__count:empty {
    display: none;
  }

  .confirm {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem;
    margin-top: 0.5rem;
    padding: 0.6rem 0.75rem;
    border: 1px solid color-mix(in srgb, var(--_danger) 35%, var(--_surface));
    border-radius: var(--_radius);
    background: color-mix(in srgb, var(--_danger) 7%, var(--_surface));
    font-size: 0.9rem;
  }
  .confirm p {
    margin: 0 auto 0 0;
  }
  .nested-composer {
    margin-top: 0.6rem;
  }

  .more {
    display: flex;
    flex-direction: column;
    align-items: center;
    gap: 0.25rem;
    margin-top: 1.25rem;
  }

  .more-replies {
    margin: 0.15rem 0 0.35rem 2.25rem;
  }
  .replies .more-replies {
    margin-left: 1.8rem;
  }
  .more-replies .link-button {
    color: var(--_accent);
    font-weight: 600;
  }

  /* A permalinked comment that is not on the loaded pages */
  .linked {
    margin: 0 0 1.5rem;
    padding: 0.5rem 1rem 0.75rem;
    border: 1px solid color-mix(in srgb, var(--_accent) 35%, var(--_border));
    border-radius: var(--_radius);
    background: color-mix(in srgb, var(--_accent) 4%, var(--_surface));
  }
  .linked__heading,
  .upgrade__heading {
    margin: 0.35rem 0 0.25rem;
    font-size: 0.8rem;
    font-weight: 650;
    letter-spacing: 0.04em;
    text-transform: uppercase;
    color: var(--_muted);
  }

  /* Members whose tier does not include the thread */
  .upgrade {
    margin: 0 0 1.75rem;
    padding: 1rem 1.15rem;
    border: 1px solid color-mix(in srgb, var(--_accent) 40%, var(--_border));
    border-radius: var(--_radius);
    background: var(--_tint);
  }
  .upgrade:focus:not(:focus-visible) {
    outline: none;
  }
  .upgrade__heading {
    margin-top: 0;
    font-size: 1rem;
    letter-spacing: normal;
    text-transform: none;
    color: var(--_text);
  }
  .upgrade p {
    margin: 0 0 0.75rem;
    font-size: 0.925rem;
  }
  .upgrade__link {
    text-decoration: none;
  }

  /* Narrow containers: less indentation, no avatar beside the comment box. */
  @container (max-width: 30rem) {
    .replies {
      margin-left: 0.4rem;
      padding-left: 0.75rem;
    }
    .compose > .avatar {
      display: none;
    }
    .comment {
      gap: 0.65rem;
    }
  }
`;
