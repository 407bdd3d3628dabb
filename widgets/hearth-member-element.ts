import type { PropertyDeclarations, PropertyValues } from "lit";
import { type GetToken, HearthClient, tokenSourceOf } from "./api.ts";
import { HearthSessionChangedEvent } from "./events.ts";
import { HearthElement } from "./hearth-element.ts";
import type { Member } from "./types.ts";

const IDENTITY = ["server", "token", "tokenUrl", "getToken"] as const;

/** Whether an update changed the server or the member's identity. */
export function identityChangedIn(changed: PropertyValues): boolean {
  return IDENTITY.some((name) => changed.has(name));
}

/**
 * The base of the widgets: the identity attributes (`token`, `token-url`, `getToken`),
 * `theme`, the signed-in member, and one API client that is set up again when they change.
 */
export class HearthMemberElement extends HearthElement {
  static override properties: PropertyDeclarations = {
    token: {},
    tokenUrl: { attribute: "token-url" },
    getToken: { attribute: false },
    theme: { reflect: true },
    member: { state: true },
  };

  /** A member token signed by the host site. */
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
  /** The signed-in member, once the server has accepted their token. */
  declare member: Member | null;

  #client: HearthClient | null = null;

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
    if (!this.#client || this.#client.server !== server) {
      this.#client = new HearthClient({
        server,
        onMemberChange: (member) => {
          this.member = member;
          this.emit(new HearthSessionChangedEvent(member));
        },
      });
    }
    this.#client.setTokenSource(tokenSourceOf(this));
    this.member = null;
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
