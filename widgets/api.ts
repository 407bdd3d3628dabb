/**
 * The widgets' one way to reach the server: a small fetch wrapper over the public HTTP API.
 * JSON errors become a typed `HearthApiError`; member tokens (or, on a host that mounts
 * Hearth with `getMember`, the host's own sign-in) are exchanged for a Hearth session that
 * lives in memory only and is renewed once when the server answers 401.
 */
import type {
  AuditPage,
  Author,
  Comment,
  CommentPage,
  CommentSort,
  FederationBlock,
  FederationBlockList,
  Member,
  ModMember,
  NotificationPage,
  Preferences,
  QueuePage,
  ReactionState,
  Session,
  Thread,
} from "./types.ts";

/** An error answer from the server (or `network_error` when there was no answer). */
export class HearthApiError extends Error {
  override name = "HearthApiError";
  constructor(
    readonly status: number,
    /** The server's stable snake_case code; `network_error` when the request never landed. */
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
    /** Seconds from a 429's Retry-After header. */
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

/** Supplies a member token from the host site, or null when nobody is signed in. */
export type TokenSource = () => Promise<string | null>;

/** A member token, or a function that supplies one (and is asked again when it runs out). */
export type GetToken = () => Promise<string | null> | string | null;

/**
 * The token source of a widget's identity attributes: `getToken` wins over `token`, which
 * wins over `token-url`; undefined when none is set (signed out).
 */
export function tokenSourceOf(identity: {
  getToken: GetToken | null;
  token: string | null;
  tokenUrl: string | null;
}): TokenSource | undefined {
  const { getToken, token, tokenUrl } = identity;
  if (getToken) return async () => (await getToken()) || null;
  if (token) return async () => token;
  if (tokenUrl) return tokenFromUrl(new URL(tokenUrl, location.href).href);
  return undefined;
}

export interface HearthClientOptions {
  /** Origin (and optional base path) of the Hearth server, without a trailing slash. */
  server: string;
  getToken?: TokenSource | undefined;
  /**
   * Without a token source, sign in through the host site's own session (see
   * `HostSession`); without either, the client stays signed out.
   */
  hostSession?: HostSession | undefined;
  fetch?: typeof fetch | undefined;
  /** Called when the signed-in member changes because of an answer from the server. */
  onMemberChange?: ((member: Member | null) => void) | undefined;
}

type Auth = "none" | "optional" | "required";

interface RequestOptions {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
  auth?: Auth;
  signal?: AbortSignal;
  /** Answer the Response itself (for streams) instead of its JSON. */
  raw?: boolean;
}

/** Sessions are renewed a little before they run out. */
const EXPIRY_MARGIN_MS = 30_000;

/**
 * Builds a TokenSource that asks the host site's token endpoint (with its cookies). The
 * endpoint may answer JSON `{"token": "…"}` or the bare token as text (as Ghost's
 * `/members/api/session` does); an empty answer, 204, 401 or 403 means signed out.
 */
export function tokenFromUrl(url: string, fetcher: typeof fetch = fetch): TokenSource {
  return async () => {
    let response: Response;
    try {
      response = await fetcher(url, {
        credentials: "include",
        headers: { accept: "application/json, text/plain;q=0.9" },
      });
    } catch (cause) {
      throw new HearthApiError(0, "network_error", String(cause));
    }
    if (response.status === 204 || response.status === 401 || response.status === 403) return null;
    if (!response.ok) {
      throw new HearthApiError(response.status, "token_url_failed", response.statusText);
    }
    return readToken(await response.text().catch(() => ""));
  };
}

/** The token in a token URL's answer: JSON `{token}`, a JSON string, or plain text. */
export function readToken(text: string): string | null {
  const trimmed = text.trim();
  if (!trimmed) return null;
  if (/^["{]/.test(trimmed)) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch {
      return null;
    }
    const token = typeof json === "string" ? json : (json as { token?: unknown } | null)?.token;
    return typeof token === "string" && token.trim() ? token.trim() : null;
  }
  // A bare token is one word (a JWT); anything else (an HTML page, say) is not a token.
  return /^[\w.~+/=-]+$/.test(trimmed) ? trimmed : null;
}

/**
 * Answers to a session the server no longer accepts, where a fresh member token (or a fresh
 * answer from the host's own sign-in) helps.
 */
const RENEWABLE = new Set(["token_expired", "token_invalid"]);

/**
 * Text as the server stores it: without NUL characters, and with half a surrogate pair (an
 * emoji cut in two) as U+FFFD. The server refuses either with 400; a member's comment should
 * not fail for a character they cannot see.
 */
function storableText(_key: string, value: unknown): unknown {
  if (typeof value !== "string") return value;
  return value
    .replaceAll("\u0000", "")
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");
}

/** What `POST /api/session` answers. */
export interface SessionAnswer {
  session: Session;
  member: Member;
}

/** Answers of a token-less `POST /api/session` that mean nobody is signed in on the host. */
const HOST_SIGNED_OUT = new Set([400, 401, 403]);

/**
 * The host site's own sign-in, for a host that mounts Hearth in its app with `getMember`:
 * `POST /api/session` with no member token, sent with the page's cookies (same-origin
 * credentials), so the host's session says who is signed in. The server answers a session
 * for the member, or 401 (nobody signed in), 403 (a cross-site request) or 400 (this server
 * has no `getMember`): all three mean signed out, not a failure.
 *
 * One per server and page: the host is asked once, and asked again only when the session it
 * gave has run out or the server stopped accepting it. Other failures (no answer, 500) are
 * not kept, so the next sign-in asks again.
 */
export class HostSession {
  readonly server: string;
  #fetch: typeof fetch;
  #answer: Promise<SessionAnswer | null> | null = null;

  constructor(server: string, fetcher: typeof fetch = (input, init) => fetch(input, init)) {
    this.server = server.replace(/\/+$/, "");
    this.#fetch = fetcher;
  }

  /**
   * The host's answer for this page. Pass the session the caller holds when it has run out or
   * was refused (`spent`): if it is the one this host answered, the host is asked again.
   */
  get(spent?: Session | null): Promise<SessionAnswer | null> {
    const current = this.#answer;
    if (!current) return this.#ask();
    return current.then((answer) => {
      // Another widget already asked again: share its answer.
      if (this.#answer !== current) return this.get(spent);
      const used = answer && (answer.session === spent || !isFresh(answer.session));
      return used ? this.#ask() : answer;
    });
  }

  #ask(): Promise<SessionAnswer | null> {
    const asking = this.#request();
    this.#answer = asking;
    asking.catch(() => {
      if (this.#answer === asking) this.#answer = null;
    });
    return asking;
  }

  async #request(): Promise<SessionAnswer | null> {
    let response: Response;
    try {
      response = await this.#fetch(`${this.server}/api/session`, {
        method: "POST",
        headers: { accept: "application/json", "content-type": "application/json" },
        body: "{}",
        credentials: "same-origin",
      });
    } catch (cause) {
      throw new HearthApiError(0, "network_error", String(cause));
    }
    if (HOST_SIGNED_OUT.has(response.status)) {
      await response.body?.cancel().catch(() => {});
      return null;
    }
    const json = (await response.json().catch(() => null)) as unknown;
    if (!response.ok) throw toApiError(response, json);
    return json as SessionAnswer;
  }
}

/** Whether a session has more than a little time left (one without a readable end has). */
function isFresh(session: Session): boolean {
  const expires = Date.parse(session.expiresAt);
  return Number.isNaN(expires) || expires - Date.now() > EXPIRY_MARGIN_MS;
}

export class HearthClient {
  readonly server: string;
  #getToken: TokenSource | undefined;
  #hostSession: HostSession | undefined;
  #fetch: typeof fetch;
  #onMemberChange: ((member: Member | null) => void) | undefined;
  #session: Session | null = null;
  /** The last session the server stopped accepting, so the host can tell it is spent. */
  #spent: Session | null = null;
  #member: Member | null = null;
  #pending: Promise<Session | null> | null = null;
  /** Bumped whenever the token source changes, so late answers for an old one are dropped. */
  #generation = 0;
  /** The generation whose exchange failed: reads then go on signed out without retrying. */
  #failedGeneration = -1;

  constructor(options: HearthClientOptions) {
    this.server = options.server.replace(/\/+$/, "");
    this.#getToken = options.getToken;
    this.#hostSession = options.hostSession;
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.#onMemberChange = options.onMemberChange;
  }

  /** The signed-in member, or null. */
  get member(): Member | null {
    return this.#member;
  }

  /**
   * Swaps the token source and drops the current session (for example on sign-out). Without
   * a token source, the client signs in through its `hostSession`, if it has one.
   */
  setTokenSource(getToken: TokenSource | undefined): void {
    this.#getToken = getToken;
    this.#generation++;
    this.#session = null;
    this.#spent = null;
    this.#pending = null;
    this.#setMember(null, false);
  }

  /**
   * Exchanges the member token for a session, if there is a token, or asks the host's own
   * sign-in when there is no token source; null when signed out.
   */
  async signIn(): Promise<Member | null> {
    try {
      await this.#ensureSession();
    } catch (error) {
      this.#failedGeneration = this.#generation;
      throw error;
    }
    return this.#member;
  }

  // --- Threads and comments -------------------------------------------------------------

  getThread(key: string): Promise<{ thread: Thread }> {
    return this.#request(`/api/threads/${encodeURIComponent(key)}`, { auth: "optional" });
  }

  listComments(
    key: string,
    query: { sort: CommentSort; cursor?: string | null; limit?: number },
  ): Promise<CommentPage> {
    const params = new URLSearchParams({ sort: query.sort });
    if (query.cursor) params.set("cursor", query.cursor);
    if (query.limit) params.set("limit", String(query.limit));
    return this.#request(`/api/threads/${encodeURIComponent(key)}/comments?${params}`, {
      auth: "optional",
    });
  }

  postComment(
    key: string,
    input: { body: string; parentId?: string | null; title?: string; url?: string },
    idempotencyKey: string,
  ): Promise<{ comment: Comment }> {
    const body: Record<string, string> = { body: input.body };
    if (input.parentId) body.parentId = input.parentId;
    if (input.title) body.title = input.title;
    if (input.url) body.url = input.url;
    return this.#request(`/api/threads/${encodeURIComponent(key)}/comments`, {
      method: "POST",
      body,
      headers: { "idempotency-key": idempotencyKey },
      auth: "required",
    });
  }

  editComment(id: string, body: string): Promise<{ comment: Comment }> {
    return this.#request(`/api/comments/${encodeURIComponent(id)}`, {
      method: "PATCH",
      body: { body },
      auth: "required",
    });
  }

  deleteComment(id: string): Promise<{ comment: Comment }> {
    return this.#request(`/api/comments/${encodeURIComponent(id)}`, {
      method: "DELETE",
      auth: "required",
    });
  }

  /** One comment with all its replies, nested like a thread page. */
  getComment(id: string): Promise<{ comment: Comment }> {
    return this.#request(`/api/comments/${encodeURIComponent(id)}`, { auth: "optional" });
  }

  /** Adds (`on`) or takes back the viewer's reaction of one kind. */
  react(id: string, kind: string, on: boolean): Promise<ReactionState> {
    return this.#request(`/api/comments/${encodeURIComponent(id)}/reactions`, {
      method: on ? "POST" : "DELETE",
      body: { kind },
      auth: "required",
    });
  }

  /** Comment counts for several threads at once (no session needed). */
  counts(keys: string[]): Promise<{ counts: Record<string, number> }> {
    return this.#request(`/api/counts?threads=${keys.map(encodeURIComponent).join(",")}`, {});
  }

  // --- Notifications ---------------------------------------------------------------------

  listNotifications(cursor?: string | null): Promise<NotificationPage> {
    const query = cursor ? `?cursor=${encodeURIComponent(cursor)}` : "";
    return this.#request(`/api/notifications${query}`, { auth: "required" });
  }

  /** Marks notifications read: the given ids, or all of them. */
  markRead(ids: string[] | "all"): Promise<{ unread?: number }> {
    return this.#request("/api/notifications/read", {
      method: "POST",
      body: ids === "all" ? { all: true } : { ids },
      auth: "required",
    });
  }

  /** Email preferences by kind (`GET /api/notifications/preferences`). */
  getPreferences(): Promise<Preferences> {
    return this.#request("/api/notifications/preferences", { auth: "required" });
  }

  /** Changes some email preferences: `{email: {reply: "digest"}}`; answers all of them. */
  putPreferences(preferences: Pick<Preferences, "email">): Promise<Preferences> {
    return this.#request("/api/notifications/preferences", {
      method: "PUT",
      body: preferences,
      auth: "required",
    });
  }

  /** The members whose actions never notify the viewer. */
  listMutes(): Promise<{ muted: Author[] }> {
    return this.#request("/api/members/mutes", { auth: "required" });
  }

  /** Mutes (`on`) or unmutes a member by handle. */
  mute(handle: string, on: boolean): Promise<unknown> {
    return this.#request(`/api/members/${encodeURIComponent(handle)}/mute`, {
      method: on ? "PUT" : "DELETE",
      auth: "required",
    });
  }

  /** Opens the live notification stream; the caller reads its body (`sse.ts`). */
  openStream(lastEventId: string, signal: AbortSignal): Promise<Response> {
    return this.#request("/api/notifications/stream", {
      headers: {
        accept: "text/event-stream",
        ...(lastEventId ? { "last-event-id": lastEventId } : {}),
      },
      auth: "required",
      signal,
      raw: true,
    });
  }

  // --- Moderation ------------------------------------------------------------------------

  modQueue(
    query: { cursor?: string | null; reason?: string; thread?: string } = {},
  ): Promise<QueuePage> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value) params.set(key, value);
    return this.#request(`/api/mod/queue?${params}`, { auth: "required" });
  }

  /** One moderator action, e.g. `("comments", id, "approve")` or `("members", id, "ban", {…})`. */
  moderate(
    target: "comments" | "members" | "threads",
    id: string,
    action: string,
    body: Record<string, unknown> = {},
  ): Promise<unknown> {
    return this.#request(`/api/mod/${target}/${encodeURIComponent(id)}/${action}`, {
      method: "POST",
      body,
      auth: "required",
    });
  }

  /** Approves or removes several comments; each result says what happened to it. */
  moderateMany(
    action: "approve" | "remove",
    ids: string[],
    reason?: string,
  ): Promise<{ results: { id: string; error?: { code: string; message: string } }[] }> {
    return this.#request(`/api/mod/comments/${action}`, {
      method: "POST",
      body: reason ? { ids, reason } : { ids },
      auth: "required",
    });
  }

  modMember(id: string): Promise<ModMember> {
    return this.#request(`/api/mod/members/${encodeURIComponent(id)}`, { auth: "required" });
  }

  modAudit(cursor?: string | null): Promise<AuditPage> {
    const query = cursor ? `?cursor=${encodeURIComponent(cursor)}` : "";
    return this.#request(`/api/mod/audit${query}`, { auth: "required" });
  }

  modFederationBlocks(): Promise<FederationBlockList> {
    return this.#request("/api/mod/federation/blocks", { auth: "required" });
  }

  /** Blocks an instance (`target` a host) or an actor (`target` its URL). */
  addFederationBlock(block: {
    target: string;
    kind: FederationBlock["kind"];
    level: FederationBlock["level"];
    reason?: string;
  }): Promise<{ block: FederationBlock }> {
    return this.#request("/api/mod/federation/blocks", {
      method: "POST",
      body: block,
      auth: "required",
    });
  }

  removeFederationBlock(id: string): Promise<unknown> {
    return this.#request(`/api/mod/federation/blocks/${encodeURIComponent(id)}`, {
      method: "DELETE",
      auth: "required",
    });
  }

  // --- Plumbing ---------------------------------------------------------------------------

  #setMember(member: Member | null, notify: boolean): void {
    const changed = (member?.id ?? null) !== (this.#member?.id ?? null);
    this.#member = member;
    if (changed && notify) this.#onMemberChange?.(member);
  }

  #sessionIsFresh(): boolean {
    return this.#session !== null && isFresh(this.#session);
  }

  /** The current session, exchanging a fresh member token when there is none (or it is old). */
  #ensureSession(): Promise<Session | null> {
    if (this.#sessionIsFresh()) return Promise.resolve(this.#session);
    if (!this.#pending) {
      const generation = this.#generation;
      const pending = this.#exchange(generation).finally(() => {
        if (this.#pending === pending) this.#pending = null;
      });
      this.#pending = pending;
    }
    return this.#pending;
  }

  async #exchange(generation: number): Promise<Session | null> {
    const getToken = this.#getToken;
    if (!getToken && this.#hostSession) return this.#exchangeWithHost(generation);
    const token = getToken ? await getToken() : null;
    if (generation !== this.#generation) return null;
    if (!token) {
      this.#session = null;
      this.#setMember(null, true);
      return null;
    }
    const result = await this.#send<SessionAnswer>("/api/session", {
      method: "POST",
      body: { token },
    });
    if (generation !== this.#generation) return null;
    this.#failedGeneration = -1;
    this.#session = result.session;
    this.#setMember(result.member, true);
    return result.session;
  }

  async #exchangeWithHost(generation: number): Promise<Session | null> {
    const answer = await this.#hostSession!.get(this.#spent ?? this.#session);
    if (generation !== this.#generation) return null;
    this.#failedGeneration = -1;
    this.#spent = null;
    this.#session = answer?.session ?? null;
    this.#setMember(answer?.member ?? null, true);
    return this.#session;
  }

  async #request<T>(path: string, options: RequestOptions): Promise<T> {
    const auth = options.auth ?? "none";
    if (auth === "none") return this.#send<T>(path, options);

    let session = await this.#sessionFor(auth);
    try {
      return await this.#send<T>(path, options, session);
    } catch (error) {
      const renewable =
        error instanceof HearthApiError && error.status === 401 && RENEWABLE.has(error.code);
      if (!renewable || !session) throw error;
    }
    // The session ran out or was revoked: ask the host for a fresh token once and retry.
    this.#spent = session;
    this.#session = null;
    session = await this.#sessionFor(auth);
    return this.#send<T>(path, options, session);
  }

  async #sessionFor(auth: Auth): Promise<Session | null> {
    let session: Session | null = null;
    const gaveUp = this.#failedGeneration === this.#generation && !this.#session;
    if (auth === "required" || !gaveUp) {
      try {
        session = await this.#ensureSession();
      } catch (error) {
        // Reading works without a session; writing needs one, so the reason matters there.
        if (auth === "required") throw error;
        this.#failedGeneration = this.#generation;
      }
    }
    if (!session && auth === "required") {
      throw new HearthApiError(401, "unauthenticated", "Sign in to take part.");
    }
    return session;
  }

  async #send<T>(path: string, options: RequestOptions, session?: Session | null): Promise<T> {
    const headers: Record<string, string> = { accept: "application/json", ...options.headers };
    if (options.body !== undefined) headers["content-type"] = "application/json";
    if (session) headers.authorization = `Bearer ${session.token}`;
    let response: Response;
    try {
      response = await this.#fetch(this.server + path, {
        method: options.method ?? "GET",
        headers,
        body: options.body === undefined ? null : JSON.stringify(options.body, storableText),
        credentials: "omit",
        signal: options.signal ?? null,
      });
    } catch (cause) {
      throw new HearthApiError(0, "network_error", String(cause));
    }
    if (options.raw && response.ok) return response as T;
    const json = (await response.json().catch(() => null)) as unknown;
    if (response.ok) return json as T;
    throw toApiError(response, json);
  }
}

function toApiError(response: Response, json: unknown): HearthApiError {
  const error = (
    json as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null
  )?.error;
  const retryAfter = Number(response.headers.get("retry-after"));
  return new HearthApiError(
    response.status,
    typeof error?.code === "string" ? error.code : "unknown",
    typeof error?.message === "string" ? error.message : response.statusText,
    error?.details && typeof error.details === "object"
      ? (error.details as Record<string, unknown>)
      : undefined,
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
  );
}

// --- Counts ---------------------------------------------------------------------------------

type CountWaiter = { resolve: (count: number | null) => void; reject: (error: unknown) => void };

const countBatches = new Map<string, Map<string, CountWaiter[]>>();

/**
 * The comment count of one thread. Every call made in the same task is batched with the
 * others for the same server into one `GET /api/counts?threads=a,b,c`.
 */
export function fetchCount(
  server: string,
  key: string,
  fetcher: typeof fetch = (input, init) => fetch(input, init),
): Promise<number | null> {
  const base = server.replace(/\/+$/, "");
  return new Promise((resolve, reject) => {
    let batch = countBatches.get(base);
    if (!batch) {
      const fresh = new Map<string, CountWaiter[]>();
      batch = fresh;
      countBatches.set(base, fresh);
      setTimeout(() => {
        countBatches.delete(base);
        void flushCounts(base, fresh, fetcher);
      }, 0);
    }
    const waiters = batch.get(key) ?? [];
    waiters.push({ resolve, reject });
    batch.set(key, waiters);
  });
}

/** How many keys go in one counts request, to keep the URL short. */
const COUNTS_PER_REQUEST = 50;

async function flushCounts(
  base: string,
  batch: Map<string, CountWaiter[]>,
  fetcher: typeof fetch,
): Promise<void> {
  const keys = [...batch.keys()];
  const client = new HearthClient({ server: base, fetch: fetcher });
  for (let i = 0; i < keys.length; i += COUNTS_PER_REQUEST) {
    const chunk = keys.slice(i, i + COUNTS_PER_REQUEST);
    try {
      const { counts } = await client.counts(chunk);
      for (const key of chunk) {
        const count = counts[key];
        for (const waiter of batch.get(key) ?? []) {
          waiter.resolve(typeof count === "number" ? count : null);
        }
      }
    } catch (error) {
      for (const key of chunk) for (const waiter of batch.get(key) ?? []) waiter.reject(error);
    }
  }
}
