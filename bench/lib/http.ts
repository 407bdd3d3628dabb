/**
 * A keep-alive HTTP/1.1 client for load generation, on undici's connection pool: it costs
 * the load generator less than half the CPU per request of `node:http`, which matters when
 * it shares the machine's cores with the server it measures. Only ever talks to the
 * loopback interface.
 */
import type { IncomingHttpHeaders } from "node:http";
import { Pool } from "undici";

export interface Response {
  status: number;
  /** Milliseconds from sending the request to the last byte of the body. */
  ms: number;
  bytes: number;
  text: string;
  headers: IncomingHttpHeaders;
}

export interface RequestOptions {
  body?: unknown;
  token?: string | undefined;
  headers?: Record<string, string>;
  /** Gives up after this many milliseconds (default 30 s). */
  timeoutMs?: number;
}

export class HttpClient {
  private readonly pool: Pool;

  constructor(baseUrl: string, maxSockets = 64) {
    const base = new URL(baseUrl);
    if (!["127.0.0.1", "localhost", "[::1]"].includes(base.hostname)) {
      throw new Error(`the benchmark client only talks to the loopback interface, not ${baseUrl}`);
    }
    this.pool = new Pool(base.origin, {
      connections: maxSockets,
      pipelining: 1,
      keepAliveTimeout: 10_000,
    });
  }

  async request(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const headers: Record<string, string> = { accept: "application/json", ...options.headers };
    if (payload !== undefined) headers["content-type"] = "application/json";
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const timeoutMs = options.timeoutMs ?? 30_000;
    const started = performance.now();
    try {
      const res = await this.pool.request({
        method: method as "GET",
        path,
        headers,
        body: payload,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      const body = Buffer.from(await res.body.arrayBuffer());
      return {
        status: res.statusCode,
        ms: performance.now() - started,
        bytes: body.length,
        text: body.toString("utf8"),
        headers: res.headers as IncomingHttpHeaders,
      };
    } catch (error) {
      if (
        (error as { code?: string }).code?.startsWith("UND_ERR_") &&
        /timeout/i.test(String(error))
      )
        throw new Error(`${method} ${path} timed out`);
      throw error;
    }
  }

  /** Like `request`, but throws unless the status is 2xx, and parses the JSON body. */
  async json<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const res = await this.request(method, path, options);
    if (res.status < 200 || res.status > 299) {
      throw new Error(`${method} ${path} answered ${res.status}: ${res.text.slice(0, 300)}`);
    }
    return JSON.parse(res.text) as T;
  }

  close(): void {
    void this.pool.destroy();
  }
}
