/**
 * Holds many Server-Sent-Events streams open with little memory on the client side: one raw
 * `node:http` request per stream (no fetch, no web streams), parsed just enough to find the
 * events and when each one arrived. Only ever talks to the loopback interface.
 */
import http from "node:http";

export interface StreamEvent {
  event: string;
  id: string | undefined;
  data: string;
  /** `performance.now()` when the chunk holding the end of the event was read. */
  at: number;
}

export interface HeldStream {
  /** Resolves with the status once the headers arrived and, for a 200, the `ready` event. */
  ready: Promise<number>;
  /** Events other than `ready`, and comment lines counted as heartbeats. */
  heartbeats: number;
  /** Resolves when the server ends the stream or the connection fails. */
  closed: Promise<void>;
  close(): void;
}

export interface OpenStreamOptions {
  /** Session token, sent as `Authorization: Bearer`. */
  token: string;
  onEvent?: (event: StreamEvent) => void;
  /** Gives up waiting for the headers and `ready` after this long (default 30 s). */
  timeoutMs?: number;
}

/** Opens `GET /api/notifications/stream` on `baseUrl` on a connection of its own. */
export function openStream(baseUrl: string, options: OpenStreamOptions): HeldStream {
  const base = new URL(baseUrl);
  if (!["127.0.0.1", "localhost", "[::1]"].includes(base.hostname)) {
    throw new Error(`the benchmark client only talks to the loopback interface, not ${baseUrl}`);
  }
  let resolveReady: (status: number) => void = () => {};
  let rejectReady: (error: Error) => void = () => {};
  const ready = new Promise<number>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  let resolveClosed: () => void = () => {};
  const closed = new Promise<void>((resolve) => {
    resolveClosed = resolve;
  });
  const req = http.request({
    agent: false,
    host: base.hostname.replace(/^\[|\]$/g, ""),
    port: base.port,
    method: "GET",
    path: "/api/notifications/stream",
    headers: { accept: "text/event-stream", authorization: `Bearer ${options.token}` },
  });
  const held: HeldStream = {
    ready,
    heartbeats: 0,
    closed,
    close: () => req.destroy(),
  };
  const timer = setTimeout(
    () => req.destroy(new Error("the stream did not open in time")),
    options.timeoutMs ?? 30_000,
  );
  const fail = (error: Error) => {
    clearTimeout(timer);
    rejectReady(error);
    resolveClosed();
  };
  req.on("error", fail);
  req.on("close", () => {
    clearTimeout(timer);
    rejectReady(new Error("the stream closed before it was ready"));
    resolveClosed();
  });
  req.on("response", (res) => {
    if (res.statusCode !== 200) {
      clearTimeout(timer);
      resolveReady(res.statusCode ?? 0);
      res.resume();
      return;
    }
    res.setEncoding("utf8");
    let buffer = "";
    res.on("data", (chunk: string) => {
      const at = performance.now();
      buffer += chunk;
      let end = buffer.indexOf("\n\n");
      while (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf("\n\n");
        const event = parseBlock(block, at);
        if (!event) {
          held.heartbeats++;
        } else if (event.event === "ready") {
          clearTimeout(timer);
          resolveReady(200);
        } else {
          options.onEvent?.(event);
        }
      }
    });
    res.on("error", () => {});
  });
  req.end();
  return held;
}

/** One event from its lines; undefined for a block of comment lines only (a heartbeat). */
function parseBlock(block: string, at: number): StreamEvent | undefined {
  let event = "message";
  let id: string | undefined;
  let data = "";
  let seen = false;
  for (const line of block.split("\n")) {
    if (line.startsWith(":") || line === "") continue;
    seen = true;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "event") event = value;
    else if (field === "id") id = value;
    else if (field === "data") data += (data ? "\n" : "") + value;
  }
  return seen ? { event, id, data, at } : undefined;
}
