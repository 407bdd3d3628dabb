import type { FederationBlocksTranslation } from "./federation-blocks-translation.ts";

export const federationBlocksEn: FederationBlocksTranslation = {
  heading: "Instance and account blocks",
  intro:
    "Suspend: nothing goes to them and nothing from them is taken. Silence: their replies always wait for review.",
  federationOff: "Federation is off on this server. Blocks set up here apply once it is on.",
  loading: "Loading blocks…",
  empty: "No instance or account is blocked.",
  blocks: "Blocks",
  addHeading: "Add a block",
  target: "Instance or account",
  targetHint:
    "A host name such as mastodon.example, or an account’s address such as https://mastodon.example/users/someone.",
  targetInvalid: "Give a host name (mastodon.example) or an account’s address (https://…).",
  scope: "Block",
  scopeInstance: "The whole instance",
  scopeActor: "Only this account",
  level: "Level",
  suspend: "Suspend",
  suspendHint: "nothing in or out",
  silence: "Silence",
  silenceHint: "replies wait for review",
  reason: "Reason (only moderators see it)",
  add: "Add block",
  adding: "Adding…",
  levelName: (level) => ({ suspend: "Suspended", silence: "Silenced" })[level] ?? level,
  kindName: (kind) => ({ instance: "Instance", actor: "Account" })[kind] ?? kind,
  addedAgo: (when) => `added ${when}`,
  remove: "Remove",
  removeLabel: (target) => `Remove the block on ${target}`,
  announceAdded: (target) => `Block on ${target} added.`,
  announceRemoved: (target) => `Block on ${target} removed.`,
};
