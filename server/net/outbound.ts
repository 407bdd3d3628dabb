/**
 * The guard every outbound request goes through (identity key sets today, federation later):
 * https only in production, no private, loopback or link-local addresses unless the owner
 * allows that one host by name, a short timeout and a cap on the response size.
 *
 * The address check runs on the address the connection actually uses (a custom DNS lookup
 * on the socket), so a name that resolves to a public address at check time and a private
 * one at connect time cannot slip through.
 */
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import { BlockList, isIP, type LookupFunction } from "node:net";

export interface OutboundOptions {
  /** Require https (production). */
  httpsOnly: boolean;
  /** Host names (lowercase, without port) that may resolve to private addresses. */
  allowPrivateHosts: readonly string[];
  /** Whole-request timeout in milliseconds. */
  timeoutMs?: number;
  /** Largest accepted response body in bytes. */
  maxBytes?: number;
}

/** Why a request was not made or not completed. */
export type OutboundRefusal =
  | "insecure_scheme"
  | "private_address"
  | "timeout"
  | "too_large"
  | "network";

export class OutboundError extends Error {
  override name = "OutboundError";
  constructor(
    readonly reason: OutboundRefusal,
    message: string,
  ) {
    super(message);
  }
}

/** The subset of `fetch` that outbound callers use. */
export type OutboundFetch = (
  input: string | URL,
  init?: { method?: string; headers?: Record<string, string>; body?: string },
) => Promise<Response>;

const blocked = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  blocked.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["64:ff9b::", 96],
  ["100::", 64],
  ["2001:db8::", 32],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const) {
  blocked.addSubnet(network, prefix, "ipv6");
}

/** True for loopback, private, link-local, shared, documentation and multicast addresses. */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return blocked.check(mapped[1]!, "ipv4");
  const family = isIP(address);
  if (family === 4) return blocked.check(address, "ipv4");
  if (family === 6) return blocked.check(address, "ipv6");
  return true;
}

/** Creates the guarded fetch; the result is safe to hand to plugins. */
export function createOutboundFetch(options: OutboundOptions): OutboundFetch {
  const timeoutMs = options.timeoutMs ?? 3000;
  const maxBytes = options.maxBytes ?? 512 * 1024;
  const allowed = new Set(options.allowPrivateHosts.map((host) => host.toLowerCase()));

  return (input, init = {}) => {
    const url = new URL(input);
    if (url.protocol !== "https:" && url.protocol !== "http:") {
      return Promise.reject(new OutboundError("insecure_scheme", `${url.protocol} is not allowed`));
    }
    if (options.httpsOnly && url.protocol !== "https:") {
      return Promise.reject(
        new OutboundError(
          "insecure_scheme",
          `Only https is allowed in production, not ${url.href}`,
        ),
      );
    }
    const hostname = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
    const privateAllowed = allowed.has(hostname);
    if (isIP(hostname) && !privateAllowed && isPrivateAddress(hostname)) {
      return Promise.reject(
        new OutboundError(
          "private_address",
          `${hostname} is a private address; allow the host explicitly to reach it`,
        ),
      );
    }
    const lookup: LookupFunction = (name, lookupOptions, callback) => {
      dnsLookup(name, { ...lookupOptions, all: true }, (error, addresses) => {
        if (error) return callback(error, "", 4);
        const list = addresses as LookupAddress[];
        const usable = privateAllowed ? list : list.filter((a) => !isPrivateAddress(a.address));
        if (usable.length === 0) {
          return callback(
            new OutboundError(
              "private_address",
              `${name} resolves to a private address; allow the host explicitly to reach it`,
            ) as NodeJS.ErrnoException,
            "",
            4,
          );
        }
        if (lookupOptions.all) return callback(null, usable as unknown as string, 4);
        callback(null, usable[0]!.address, usable[0]!.family);
      });
    };

    return new Promise<Response>((resolve, reject) => {
      let settled = false;
      // Every way out ends here once: the request is torn down without emitting more errors.
      const fail = (error: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(toOutboundError(error));
        req.destroy();
      };
      const client = url.protocol === "https:" ? https : http;
      const req = client.request(
        url,
        {
          method: init.method ?? "GET",
          headers: { "user-agent": "Hearth", ...init.headers },
          lookup,
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size > maxBytes) {
              fail(new OutboundError("too_large", `The response is over ${maxBytes} bytes`));
              return;
            }
            chunks.push(chunk);
          });
          res.on("end", () => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            const headers = new Headers();
            for (const [name, value] of Object.entries(res.headers)) {
              if (typeof value === "string") headers.set(name, value);
              else if (Array.isArray(value)) for (const v of value) headers.append(name, v);
            }
            const status = res.statusCode ?? 502;
            const body = status === 204 || status === 304 ? null : Buffer.concat(chunks);
            resolve(new Response(body, { status, statusText: res.statusMessage ?? "", headers }));
          });
          res.on("error", fail);
        },
      );
      const timer = setTimeout(() => {
        fail(new OutboundError("timeout", `No answer within ${timeoutMs} ms`));
      }, timeoutMs);
      timer.unref();
      req.on("error", fail);
      if (init.body !== undefined) req.write(init.body);
      req.end();
    });
  };
}

function toOutboundError(error: unknown): OutboundError {
  if (error instanceof OutboundError) return error;
  return new OutboundError("network", error instanceof Error ? error.message : String(error));
}
