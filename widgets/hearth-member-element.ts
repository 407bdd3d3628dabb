import type { PropertyDeclarations, PropertyValues } from "lit";
import { type GetToken, HearthClient, HostSession, tokenSourceOf } from "./api.ts";
import { HearthSessionChangedEvent } from "./events.ts";
import { HearthElement } from "./hearth-element.ts";
import type { Member } from "./types.ts";

const IDENTITY = ["server", "token", "tokenUrl", "getToken"] as const;

/** Whether an update changed the server or the member's identity. */
export function identityChangedIn(changed: PropertyValues): boolean {
  return IDENTITY.some((name) => changed.has(name));
}

/** One API client, and so one session, for every widget with the same server and identity. */
interface SharedClient {
  client: HearthClient;
  elements: Set<HearthMemberElement>;
}

const sharedClients = new Map<string, SharedClient>();
const getterIds = new WeakMap<GetToken, number>();
let nextGetterId = 0;

/** The host's own sign-in per server, asked once per page load (see `HostSession`). */
const hostSessions = new Map<string, HostSession>();

/**
 * The host sign-in for widgets without a token source: only for a server on the page's own
 * origin, since the request carries the page's cookies only there (a host that mounts Hearth
 * in its app serves both from one origin); a server elsewhere could not tell who is signed in.
 */
function hostSessionFor(server: string): HostSession | undefined {
  let origin: string;
  try {
    origin = new URL(server, location.href).origin;
  } catch {
    return undefined;
  }
  if (origin !== location.origin) return undefined;
  let hostSession = hostSessions.get(server);
  if (!hostSession) {
    hostSession = new HostSession(server);
    hostSessions.set(server, hostSession);
  }
  return hostSession;
}

/** Names a server and token source: widgets that agree on both share a session. */
function identityKey(
  server: string,
  identity: { token: string | null; tokenUrl: string | null; getToken: GetToken | null },
): string {
  if (identity.getToken) {
    let id = getterIds.get(identity.getToken);
    if (id === undefined) {
      id = ++nextGetterId;
      getterIds.set(identity.getToken, id);
    }
    return `${server}\ngetter:${id}`;
  }
  if (identity.token) return `${server}\ntoken:${identity.token}`;
  if (identity.tokenUrl) return `${server}\nurl:${new URL(identity.tokenUrl, location.href).href}`;
  return `${server}\nanonymous`;
}

/**
 * The base of the widgets: the identity attributes (`token`, `token-url`, `getToken`),
 * `theme`, the signed-in member, and the API client for them. Widgets on one page with the
 * same server and identity (a thread and the bell, say) share one client, so the member
 * signs in once.
 *
 * A widget with none of `token`, `token-url` and `getToken` whose server is on the page's
 * own origin (Hearth mounted in the host's app with `getMember`) signs in through the
 * host's session: `POST /api/session` without a token, with the page's cookies, once per
 * page load and server. A signed-out answer (401, 403, 400) leaves it signed out quietly.
 */
export class HearthMemberElement extends HearthElement {
  static override properties: PropertyDeclarations = {
    token: {},
    tokenUrl: { attribute: "token-url" },
    getToken: { attribute: false },
    theme: { reflect: true },
    member: { state: true },
  };

  /**
   * A member token signed by the host site. With none of `token`, `token-url` and
   * `getToken`, a widget served from the page's own origin signs in through the host's
   * session instead (Hearth mounted with `getMember`).
   */
  declare token: string | null;
  /**
   * A URL on the host site answering the signed-in member's token, as JSON `{token}` or as
   * plain text (204, 401 or an empty answer when nobody is signed in).
   */
  declare tokenUrl: string | null;
  /** For single-page apps: supplies a member token; asked again when the session runs out. */
  declare getToken: GetToken | null;
  /** `light` or `dark`; follows the reader's system setting when not set. */
  declare theme: "light" | "dark" | null;
  /**
   * The signed-in member, once the server has accepted their token (or, without `token`,
   * `token-url` and `getToken`, once the host's own sign-in has named them).
   */
  declare member: Member | null;

  #client: HearthClient | null = null;
  #clientKey: string | null = null;

  constructor() {
    super();
    this.token = null;
    this.tokenUrl = null;
    this.getToken = null;
    this.theme = null;
    this.member = null;
  }

  /** The API client for the current server and identity. */
  get api(): HearthClient {
    if (!this.#client) this.#configure();
    return this.#client!;
  }

  #configure(): void {
    const server = this.serverUrl;
    const key = identityKey(server, this);
    if (this.#client && this.#clientKey === key) return;
    this.#leave();
    let shared = sharedClients.get(key);
    if (!shared) {
      const elements = new Set<HearthMemberElement>();
      const getToken = tokenSourceOf(this);
      const client = new HearthClient({
        server,
        hostSession: getToken ? undefined : hostSessionFor(server),
        onMemberChange: (member) => {
          for (const element of elements) element.#memberChanged(member);
        },
      });
      client.setTokenSource(getToken);
      shared = { client, elements };
      sharedClients.set(key, shared);
    }
    shared.elements.add(this);
    this.#client = shared.client;
    this.#clientKey = key;
    this.member = shared.client.member;
  }

  #memberChanged(member: Member | null): void {
    this.member = member;
    this.emit(new HearthSessionChangedEvent(member));
  }

  /** Stops sharing the current client; the last widget to leave lets it go. */
  #leave(): void {
    if (this.#clientKey === null) return;
    const shared = sharedClients.get(this.#clientKey);
    shared?.elements.delete(this);
    if (shared?.elements.size === 0) sharedClients.delete(this.#clientKey);
    this.#client = null;
    this.#clientKey = null;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#leave();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (identityChangedIn(changed)) {
      this.#configure();
      this.identityChanged();
    }
  }

  /** Called once on start and whenever the server or the member's identity changes. */
  protected identityChanged(): void {}
}
