/**
 * Bot screening: a pipeline of small signals. Each looks at a signup (or a first comment)
 * and returns a score with a reason a moderator can read, or null when it has nothing to
 * say. The server sums the scores and decides allow, review or block; signals never decide,
 * never touch the database and reach the network only through the `fetch` they are given.
 */

/** What is known about a signup or a member's early comment. */
export interface ScreeningInput {
  /** `signup`: a first session or the host's own signup form; `comment`: an early comment. */
  kind: "signup" | "comment";
  email?: string | undefined;
  name?: string | undefined;
  username?: string | undefined;
  /** The client's address as the server sees it. */
  ip?: string | undefined;
  userAgent?: string | undefined;
  /** A form field hidden from people: anything in it came from a bot. */
  honeypot?: string | undefined;
  /** Milliseconds from the widget (or form) loading to the first submit. */
  elapsedMs?: number | undefined;
  /** ALTCHA proof-of-work payload (base64 JSON), solved by the client. */
  altcha?: string | undefined;
  /** True when the client is the Hearth widget, which always sends its screening fields. */
  fromWidget?: boolean | undefined;
  /** The comment text (Markdown), for `comment`. */
  body?: string | undefined;
  /** The member, when known (comments). */
  memberId?: string | undefined;
}

/** A signal's finding. */
export interface SignalResult {
  /** Positive: looks like a bot; negative: looks like a person. */
  score: number;
  /** One sentence for moderators, such as "Email domain mailinator.com is disposable". */
  reason: string;
}

/** Records the server keeps for signals that look across signups. */
export interface ScreeningStore {
  /** Signups since `since` from this address and from its /24 (IPv4) or /64 (IPv6). */
  recentSignups(ip: string, subnet: string, since: Date): Promise<{ ip: number; subnet: number }>;
  /** Other members whose early posts had this fingerprint since `since`. */
  textAuthors(hash: string, memberId: string, since: Date): Promise<number>;
  /**
   * Records that a proof-of-work challenge (named by its signature) was solved and used;
   * false when it was used before. Kept until `expiresAt`, shared by every server process.
   */
  useChallenge(signature: string, expiresAt: Date): Promise<boolean>;
}

/** The subset of `fetch` external signals may use (the server's guarded outbound fetch). */
export type ScreeningFetch = (
  input: string,
  init?: { method?: string; headers?: Record<string, string>; body?: string },
) => Promise<Response>;

/** What a signal gets besides the input. */
export interface ScreeningContext {
  now: Date;
  store: ScreeningStore;
  /** Present when external services are configured. */
  fetch?: ScreeningFetch | undefined;
}

/** One screening signal. */
export interface ScreeningSignal {
  /** Stable name, shown with the reason (`honeypot`, `disposable_email`). */
  readonly name: string;
  /** Which inputs the signal looks at; it is skipped for the others. */
  readonly kinds: readonly ScreeningInput["kind"][];
  /**
   * Scores the input; null when the signal has nothing to say (no email given, service down).
   * Must not throw for expected failures; a throw is logged and counted as null.
   */
  score(input: ScreeningInput, ctx: ScreeningContext): Promise<SignalResult | null>;
}

export type Verdict = "allow" | "review" | "block";

export interface ScreeningResult {
  verdict: Verdict;
  score: number;
  reasons: { signal: string; score: number; message: string }[];
}
