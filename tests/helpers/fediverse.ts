/**
 * A second, independent ActivityPub server for federation tests: built with Fedify, on its
 * own loopback port, with its own keys. It hosts Person actors (alice, bob…), records every
 * activity its inboxes receive, and can send activities as any of its actors.
 */
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import {
  type Context,
  createFederation,
  type Federation,
  generateCryptoKeyPair,
  MemoryKvStore,
} from "@fedify/fedify";
import { type Activity, Endpoints, Person } from "@fedify/vocab";
import { startTestApp, type TestApp } from "./app.ts";

export interface RemoteServer {
  url: string;
  host: string;
  federation: Federation<void>;
  /** Activities received, in order, as JSON-LD (compacted). */
  received: { recipient: string | null; type: string; json: Record<string, unknown> }[];
  actorUri(name: string): URL;
  context(): Context<void>;
  /** Sends an activity as `name` to the given actor (looked up by IRI). */
  send(name: string, recipientIri: string | URL, activity: Activity): Promise<void>;
  /** Waits until an activity matching `test` arrived. */
  waitFor(
    test: (item: RemoteServer["received"][number]) => boolean,
    timeoutMs?: number,
  ): Promise<RemoteServer["received"][number]>;
  close(): Promise<void>;
}

export async function startRemoteServer(names = ["alice", "bob"]): Promise<RemoteServer> {
  const keys = new Map<string, CryptoKeyPair[]>();
  for (const name of names) {
    keys.set(name, [
      await generateCryptoKeyPair("RSASSA-PKCS1-v1_5"),
      await generateCryptoKeyPair("Ed25519"),
    ]);
  }
  const federation = createFederation<void>({
    kv: new MemoryKvStore(),
    allowPrivateAddress: true,
  });
  federation
    .setActorDispatcher("/users/{identifier}", async (ctx, identifier) => {
      if (!keys.has(identifier)) return null;
      const pairs = await ctx.getActorKeyPairs(identifier);
      return new Person({
        id: ctx.getActorUri(identifier),
        preferredUsername: identifier,
        name: `${identifier[0]!.toUpperCase()}${identifier.slice(1)} Remote`,
        url: new URL(`/@${identifier}`, ctx.origin),
        inbox: ctx.getInboxUri(identifier),
        endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
        publicKey: pairs[0]?.cryptographicKey ?? null,
        assertionMethods: pairs.map((pair) => pair.multikey),
      });
    })
    .setKeyPairsDispatcher((_ctx, identifier) => keys.get(identifier) ?? []);

  const received: RemoteServer["received"] = [];
  const waiters = new Set<() => void>();
  const record = async (ctx: { recipient: string | null }, activity: Activity) => {
    const json = (await activity.toJsonLd({ format: "compact" })) as Record<string, unknown>;
    received.push({ recipient: ctx.recipient, type: String(json.type), json });
    for (const wake of waiters) wake();
  };
  federation
    .setInboxListeners("/users/{identifier}/inbox", "/inbox")
    // biome-ignore lint/suspicious/noExplicitAny: every activity type is recorded
    .on((await import("@fedify/vocab")).Activity as any, record);

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", `http://${req.headers.host}`);
    const headers = new Headers();
    for (const [key, value] of Object.entries(req.headers)) {
      if (typeof value === "string") headers.set(key, value);
    }
    const hasBody = req.method !== "GET" && req.method !== "HEAD";
    const request = new Request(url, {
      method: req.method,
      headers,
      ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream, duplex: "half" } : {}),
    } as RequestInit);
    federation
      .fetch(request, { contextData: undefined })
      .then(async (response) => {
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(Buffer.from(await response.arrayBuffer()));
      })
      .catch(() => {
        res.writeHead(500);
        res.end();
      });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  const context = () => federation.createContext(new URL(base), undefined);

  return {
    url: base,
    host: `127.0.0.1:${port}`,
    federation,
    received,
    actorUri: (name) => context().getActorUri(name),
    context,
    async send(name, recipientIri, activity) {
      const ctx = context();
      const recipient = await ctx.lookupObject(recipientIri.toString());
      if (!recipient || !("inboxId" in recipient)) throw new Error(`no actor at ${recipientIri}`);
      // biome-ignore lint/suspicious/noExplicitAny: an Actor looked up above
      await ctx.sendActivity({ identifier: name }, recipient as any, activity, { immediate: true });
    },
    async waitFor(test, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = received.find(test);
        if (found) return found;
        if (Date.now() > deadline) {
          throw new Error(
            `no matching activity; received: ${received.map((item) => item.type).join(", ")}`,
          );
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 100);
          waiters.add(() => {
            clearTimeout(timer);
            resolve();
          });
        });
        waiters.clear();
      }
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port that was free a moment ago, so a server's public URL can be known before it starts. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, "127.0.0.1");
  await once(probe, "listening");
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/**
 * A Hearth with federation on, at a public URL on its own loopback port, polling its queue
 * every 50 ms. Remote actors on loopback are reachable unless `env` sets
 * `HEARTH_FEDERATION_ALLOW_PRIVATE` to "0"; `env` adds to or overrides the rest.
 */
export async function startFederatedTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const port = await freePort();
  return startTestApp({
    env: {
      PORT: String(port),
      HEARTH_PUBLIC_URL: `http://127.0.0.1:${port}`,
      HEARTH_FEDERATION: "1",
      HEARTH_FEDERATION_ALLOW_PRIVATE: "1",
      HEARTH_LOG_LEVEL: process.env.HEARTH_TEST_LOG ?? "silent",
      ...env,
    },
    hearth: { federationPollMs: 50 },
  });
}
