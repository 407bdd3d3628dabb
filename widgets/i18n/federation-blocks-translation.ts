/**
 * The strings of the instance and actor blocks in `<hearth-moderation>` (its Fediverse
 * tab), loaded with that tab. Each locale implements all of it.
 */
export interface FederationBlocksTranslation {
  heading: string;
  intro: string;
  federationOff: string;
  loading: string;
  empty: string;
  blocks: string;
  addHeading: string;
  target: string;
  targetHint: string;
  targetInvalid: string;
  scope: string;
  scopeInstance: string;
  scopeActor: string;
  level: string;
  suspend: string;
  suspendHint: string;
  silence: string;
  silenceHint: string;
  reason: string;
  add: string;
  adding: string;
  /** `suspend` or `silence`, as a state: "Suspended". */
  levelName: (level: string) => string;
  /** `instance` or `actor`. */
  kindName: (kind: string) => string;
  /** `when` is a relative time ("3 minutes ago"). */
  addedAgo: (when: string) => string;
  remove: string;
  removeLabel: (target: string) => string;
  announceAdded: (target: string) => string;
  announceRemoved: (target: string) => string;
}
