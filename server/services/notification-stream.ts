/**
 * Live notifications: every process LISTENs on the notifications channel (PostgreSQL
 * LISTEN/NOTIFY, which PGlite also offers in-process) and hands each new notification to
 * the Server-Sent-Events streams its members hold open in that process. Heartbeats for all
 * streams come from one timer.
 *
 * Streams authenticate with a short-lived ticket (`POST /api/notifications/ticket`, then
 * `?ticket=` — `EventSource` cannot send headers) or with `Authorization: Bearer`. A stream
 * ends when the session behind it expires.
 */
import type { ServerResponse } from "node:http";
import * as jose from "jose";
import type { AppContext } from "../context.ts";
import { unauthenticated } from "../errors.ts";
import type { NotificationJson } from "../serializers/notifications.ts";
import {
  NOTIFY_CHANNEL,
  type NotificationSignal,
  notificationsAfter,
  unreadCount,
} from "./notifications.ts";
import type { Session } from "./sessions.ts";

const TICKET_AUDIENCE = "hearth-stream-ticket";

/** A ticket for one member's stream, valid `HEARTH_STREAM_TICKET_TTL` and never past the session. */
export async function issueStreamTicket(
  ctx: AppContext,
  session: Session,
  sessionExpiresAt: number,
) {
  const now = Math.floor(ctx.now().getTime() / 1000);
  const exp = Math.min(now + ctx.config.notifications.ticketTtlSeconds, sessionExpiresAt);
  const ticket = await new jose.SignJWT({ sexp: sessionExpiresAt })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(session.memberId)
    .setAudience(TICKET_AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(exp)
    .sign(ctx.sessionKey);
  return { ticket, expiresAt: new Date(exp * 1000).toISOString() };
}

/** The member and the end of their session, from a ticket; 401 when expired or forged. */
export async function verifyStreamTicket(
  ctx: AppContext,
  ticket: string,
): Promise<{ memberId: string; sessionExpiresAt: number }> {
  try {
    const { payload } = await jose.jwtVerify(ticket, ctx.sessionKey, {
      algorithms: ["HS256"],
      audience: TICKET_AUDIENCE,
      currentDate: ctx.now(),
      requiredClaims: ["sub", "exp"],
    });
    return { memberId: payload.sub!, sessionExpiresAt: Number(payload.sexp) };
  } catch (error) {
    if (error instanceof jose.errors.JWTExpired)
      throw unauthenticated("ticket_expired", "The stream ticket has expired; ask for a new one.");
    throw unauthenticated("ticket_invalid", "The stream ticket is not valid.");
  }
}

interface Stream {
  memberId: string;
  res: ServerResponse;
  lastId: number;
  /** Signals that arrived while the backlog was being sent. */
  queue: NotificationSignal[] | undefined;
  expiry: NodeJS.Timeout;
}

export class NotificationHub {
  readonly #ctx: AppContext;
  readonly #streams = new Map<string, Set<Stream>>();
  #heartbeat: NodeJS.Timeout | undefined;
  #unlisten: (() => Promise<void>) | undefined;
  /** Notifications this process has received on the channel (tests, benchmark). */
  received = 0;

  constructor(ctx: AppContext) {
    this.#ctx = ctx;
  }

  get size(): number {
    let n = 0;
    for (const set of this.#streams.values()) n += set.size;
    return n;
  }

  async start(): Promise<void> {
    const raw = this.#ctx.database.raw;
    const onPayload = (payload: string) => this.#dispatch(payload);
    if (raw.driver === "postgres") {
      const { unlisten } = await raw.client.listen(NOTIFY_CHANNEL, onPayload);
      this.#unlisten = unlisten;
    } else {
      const unlisten = await raw.client.listen(NOTIFY_CHANNEL, onPayload);
      this.#unlisten = () => unlisten();
    }
    const every = this.#ctx.config.notifications.heartbeatSeconds * 1000;
    this.#heartbeat = setInterval(() => this.#beat(), every);
    this.#heartbeat.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#heartbeat);
    for (const set of this.#streams.values())
      for (const stream of set) this.#close(stream, undefined);
    await this.#unlisten?.().catch(() => {});
  }

  #dispatch(payload: string): void {
    let signal: NotificationSignal;
    try {
      signal = JSON.parse(payload) as NotificationSignal;
    } catch {
      return;
    }
    this.received++;
    const set = this.#streams.get(signal.memberId);
    if (!set) return;
    for (const stream of set) {
      if (stream.queue) stream.queue.push(signal);
      else this.#send(stream, signal.notification, signal.unread);
    }
  }

  #send(stream: Stream, notification: NotificationJson, unread: number | undefined): void {
    const id = Number(notification.id);
    if (id <= stream.lastId) return;
    stream.lastId = id;
    const data = JSON.stringify(unread === undefined ? { notification } : { notification, unread });
    stream.res.write(`id: ${id}\nevent: notification\ndata: ${data}\n\n`);
  }

  #beat(): void {
    for (const set of this.#streams.values()) {
      for (const stream of set) stream.res.write(": heartbeat\n\n");
    }
  }

  #close(stream: Stream, event: string | undefined): void {
    clearTimeout(stream.expiry);
    const set = this.#streams.get(stream.memberId);
    set?.delete(stream);
    if (set?.size === 0) this.#streams.delete(stream.memberId);
    if (!stream.res.writableEnded) {
      if (event) stream.res.write(event);
      stream.res.end();
    }
  }

  /**
   * Serves one stream: headers, the notifications after `lastEventId`, then live ones and
   * heartbeats until the client leaves or the session expires.
   */
  async serve(
    res: ServerResponse,
    memberId: string,
    sessionExpiresAt: number,
    lastEventId: number,
  ): Promise<void> {
    const ctx = this.#ctx;
    res.writeHead(200, {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-store",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    });
    res.flushHeaders();
    res.socket?.setNoDelay(true);
    res.socket?.setKeepAlive(true);
    const msLeft = sessionExpiresAt * 1000 - ctx.now().getTime();
    const stream: Stream = {
      memberId,
      res,
      lastId: lastEventId,
      queue: [],
      expiry: setTimeout(
        () =>
          this.#close(
            stream,
            `event: expired\ndata: ${JSON.stringify({ code: "token_expired" })}\n\n`,
          ),
        Math.max(Math.min(msLeft, 2 ** 31 - 1), 0),
      ),
    };
    stream.expiry.unref();
    let set = this.#streams.get(memberId);
    if (!set) {
      set = new Set();
      this.#streams.set(memberId, set);
    }
    set.add(stream);
    res.on("close", () => this.#close(stream, undefined));
    const unread = await unreadCount(ctx, { memberId, roles: [], tiers: [] });
    res.write(`retry: 3000\nevent: ready\ndata: ${JSON.stringify({ unread })}\n\n`);
    if (lastEventId > 0) {
      for (const notification of await notificationsAfter(ctx, memberId, lastEventId)) {
        this.#send(stream, notification, undefined);
      }
    }
    const queued = stream.queue ?? [];
    stream.queue = undefined;
    for (const signal of queued) this.#send(stream, signal.notification, signal.unread);
  }
}
