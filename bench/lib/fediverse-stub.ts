/**
 * A stand-in for the rest of the Fediverse in one local HTTP server: it serves the actor
 * documents of `count` Person actors (each with a public key, so Hearth can verify what
 * they send), counts every POST to their inboxes and to the one shared inbox some of them
 * sit behind, and sends signed activities as any of them (HTTP signatures made by Fedify).
 * Only ever listens on and talks to the loopback interface.
 */

import { webcrypto } from "node:crypto";
import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { signRequest } from "@fedify/fedify";

export interface StubActor {
  index: number;
  id: string;
  inbox: string;
  /** The stub's shared inbox, for the actors behind it; null for the others. */
  sharedInbox: string | null;
  keyId: string;
}

export interface Delivery {
  /** `performance.now()` when the POST's body had arrived. */
  at: number;
  path: string;
  /** The activity's type and id, and its object's id (or the object itself when a string). */
  type: string;
  id: string;
  object: string;
  /** Whether the POST carried an HTTP signature (draft-cavage `Signature` or RFC 9421). */
  signed: boolean;
}

export interface SendResult {
  status: number;
  /** Milliseconds from sending the request to the end of the response. */
  ms: number;
  text: string;
}

type Waiter = { test: (delivery: Delivery) => boolean; count: number; wake: () => void };

const AS_CONTEXT = "https://www.w3.org/ns/activitystreams";
const SECURITY_CONTEXT = "https://w3id.org/security/v1";

export class FediverseStub {
  readonly deliveries: Delivery[] = [];
  readonly actors: StubActor[];
  readonly url: string;
  readonly #server: http.Server;
  readonly #agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  readonly #privateKey: CryptoKey;
  readonly #publicKeyPem: string;
  readonly #waiters = new Set<Waiter>();
  readonly #byName = new Map<string, StubActor>();
  #actorFetches = 0;

  private constructor(
    server: http.Server,
    url: string,
    count: number,
    behindShared: number,
    keys: { privateKey: CryptoKey; publicKeyPem: string },
  ) {
    this.#server = server;
    this.url = url;
    this.#privateKey = keys.privateKey;
    this.#publicKeyPem = keys.publicKeyPem;
    this.actors = Array.from({ length: count }, (_, index) => {
      const id = `${url}/users/u${index}`;
      return {
        index,
        id,
        inbox: `${id}/inbox`,
        sharedInbox: index < behindShared ? `${url}/inbox` : null,
        keyId: `${id}#main-key`,
      };
    });
    for (const actor of this.actors) this.#byName.set(`u${actor.index}`, actor);
  }

  /**
   * Starts the stub with `count` actors, the first `behindShared` of them behind the shared
   * inbox. All actors use one RSA key pair (each under its own key id): making a thousand
   * 2048-bit keys would take longer than the benchmark, and Hearth verifies each key id on
   * its own all the same.
   */
  static async start(count: number, behindShared: number): Promise<FediverseStub> {
    const pair = (await webcrypto.subtle.generateKey(
      {
        name: "RSASSA-PKCS1-v1_5",
        modulusLength: 2048,
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: "SHA-256",
      },
      true,
      ["sign", "verify"],
    )) as CryptoKeyPair;
    const spki = Buffer.from(await webcrypto.subtle.exportKey("spki", pair.publicKey));
    const publicKeyPem = `-----BEGIN PUBLIC KEY-----\n${
      spki
        .toString("base64")
        .match(/.{1,64}/g)
        ?.join("\n") ?? ""
    }\n-----END PUBLIC KEY-----\n`;
    let stub: FediverseStub | undefined;
    const server = http.createServer((req, res) => stub?.handle(req, res));
    server.keepAliveTimeout = 65_000;
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const { port } = server.address() as AddressInfo;
    stub = new FediverseStub(server, `http://127.0.0.1:${port}`, count, behindShared, {
      privateKey: pair.privateKey,
      publicKeyPem,
    });
    return stub;
  }

  /** How many times Hearth fetched an actor document. */
  get actorFetches(): number {
    return this.#actorFetches;
  }

  actorDocument(actor: StubActor): Record<string, unknown> {
    return {
      "@context": [AS_CONTEXT, SECURITY_CONTEXT],
      id: actor.id,
      type: "Person",
      preferredUsername: `u${actor.index}`,
      name: `Follower ${actor.index}`,
      url: `${this.url}/@u${actor.index}`,
      inbox: actor.inbox,
      ...(actor.sharedInbox ? { endpoints: { sharedInbox: actor.sharedInbox } } : {}),
      publicKey: { id: actor.keyId, owner: actor.id, publicKeyPem: this.#publicKeyPem },
    };
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const path = (req.url ?? "/").split("?")[0]!;
    if (req.method === "GET") {
      const match = /^\/users\/(u\d+)$/.exec(path);
      const actor = match ? this.#byName.get(match[1]!) : undefined;
      if (!actor) {
        res.writeHead(404).end();
        return;
      }
      this.#actorFetches++;
      res.writeHead(200, { "content-type": "application/activity+json" });
      res.end(JSON.stringify(this.actorDocument(actor)));
      return;
    }
    if (req.method !== "POST" || !/^\/(inbox|users\/u\d+\/inbox)$/.test(path)) {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
      } catch {}
      const object = json.object;
      this.record({
        at: performance.now(),
        path,
        type: String(json.type ?? ""),
        id: String(json.id ?? ""),
        object:
          typeof object === "string"
            ? object
            : String((object as { id?: unknown } | undefined)?.id ?? ""),
        signed: Boolean(req.headers.signature ?? req.headers["signature-input"]),
      });
      res.writeHead(202).end();
    });
  }

  private record(delivery: Delivery): void {
    this.deliveries.push(delivery);
    for (const waiter of this.#waiters) {
      if (waiter.test(delivery) && --waiter.count <= 0) waiter.wake();
    }
  }

  /** Deliveries matching `test` received so far. */
  matching(test: (delivery: Delivery) => boolean): Delivery[] {
    return this.deliveries.filter(test);
  }

  /**
   * Resolves once `count` deliveries matching `test` have arrived (counting those already
   * here), or after `timeoutMs` with false.
   */
  waitFor(
    test: (delivery: Delivery) => boolean,
    count: number,
    timeoutMs: number,
  ): Promise<boolean> {
    const missing = count - this.matching(test).length;
    if (missing <= 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        test,
        count: missing,
        wake: () => {
          clearTimeout(timer);
          this.#waiters.delete(waiter);
          resolve(true);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        resolve(false);
      }, timeoutMs);
      this.#waiters.add(waiter);
    });
  }

  /**
   * Signs `activity` as `actor` (draft-cavage HTTP signature with the actor's key, as
   * Mastodon sends them) and POSTs it to `inbox`; only the HTTP exchange is timed.
   */
  async send(
    actor: StubActor,
    inbox: string,
    activity: Record<string, unknown>,
  ): Promise<SendResult> {
    const target = new URL(inbox);
    if (target.hostname !== "127.0.0.1")
      throw new Error(`the stub only sends to 127.0.0.1, not ${inbox}`);
    const body = JSON.stringify({ "@context": AS_CONTEXT, ...activity });
    const signed = await signRequest(
      new Request(target, {
        method: "POST",
        headers: {
          "content-type": "application/activity+json",
          accept: "application/activity+json",
        },
        body,
      }),
      this.#privateKey,
      new URL(actor.keyId),
      { body: new TextEncoder().encode(body).buffer as ArrayBuffer },
    );
    const headers: Record<string, string> = { "content-length": String(Buffer.byteLength(body)) };
    signed.headers.forEach((value, key) => {
      headers[key] = value;
    });
    return new Promise((resolve, reject) => {
      const started = performance.now();
      const req = http.request(
        {
          agent: this.#agent,
          host: target.hostname,
          port: target.port,
          method: "POST",
          path: `${target.pathname}${target.search}`,
          headers,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("error", reject);
          res.on("end", () =>
            resolve({
              status: res.statusCode ?? 0,
              ms: performance.now() - started,
              text: Buffer.concat(chunks).toString("utf8"),
            }),
          );
        },
      );
      req.setTimeout(30_000, () => req.destroy(new Error(`POST ${inbox} timed out`)));
      req.on("error", reject);
      req.end(body);
    });
  }

  async close(): Promise<void> {
    this.#agent.destroy();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
