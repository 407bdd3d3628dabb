/**
 * A host that publishes a JWKS on 127.0.0.1 (Ghost, Memberstack, Outseta or a custom host in
 * tests) and signs member tokens with its keys. Counts how often the key set was fetched.
 */
import { generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface HostKey {
  kid: string;
  privateKey: KeyObject;
  publicJwk: Record<string, unknown>;
}

/** An RSA key pair; `bits` below 2048 makes the weak keys older Ghost sites have. */
export function createRsaKey(kid: string, bits = 2048): HostKey {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: bits });
  return {
    kid,
    privateKey,
    publicJwk: { ...publicKey.export({ format: "jwk" }), kid, use: "sig" },
  };
}

/**
 * Signs a JWT with node:crypto (RS256/384/512), so that 1024-bit keys can sign too, as
 * older Ghost sites do; `jose` refuses such keys.
 */
export function signRsaJwt(
  key: HostKey,
  payload: Record<string, unknown>,
  alg: "RS256" | "RS384" | "RS512" = "RS512",
  header: Record<string, unknown> = {},
): string {
  const hash = { RS256: "sha256", RS384: "sha384", RS512: "sha512" }[alg];
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const input = `${encode({ alg, typ: "JWT", kid: key.kid, ...header })}.${encode(payload)}`;
  return `${input}.${sign(hash, Buffer.from(input), key.privateKey).toString("base64url")}`;
}

export interface KeyServer {
  /** http://127.0.0.1:<port> */
  origin: string;
  /** The keys currently published; replace to rotate. */
  keys: HostKey[];
  /** Requests for the key set so far. */
  hits: number;
  close(): Promise<void>;
}

/** Serves `{ keys }` at `path`; every other path is 404. */
export async function startKeyServer(path: string, keys: HostKey[]): Promise<KeyServer> {
  const state = { keys, hits: 0 };
  const server: Server = createServer((req, res) => {
    if (req.url !== path) {
      res.statusCode = 404;
      res.end();
      return;
    }
    state.hits++;
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ keys: state.keys.map((key) => key.publicJwk) }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    get keys() {
      return state.keys;
    },
    set keys(next) {
      state.keys = next;
    },
    get hits() {
      return state.hits;
    },
    set hits(value) {
      state.hits = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);
