/**
 * A keep-alive HTTP/1.1 client for load generation, on `node:http` (the fastest client
 * Node ships). Only ever talks to the loopback interface.
 */
import http from "node:http";

export interface Response {
  status: number;
  /** Milliseconds from sending the request to the last byte of the body. */
  ms: number;
  bytes: number;
  text: string;
  headers: http.IncomingHttpHeaders;
}

export interface RequestOptions {
  body?: unknown;
  token?: string | undefined;
  headers?: Record<string, string>;
  /** Gives up after this many milliseconds (default 30 s). */
  timeoutMs?: number;
}

export class HttpClient {
  private readonly agent: http.Agent;
  private readonly base: URL;

  constructor(baseUrl: string, maxSockets = 64) {
    this.base = new URL(baseUrl);
    if (!["127.0.0.1", "localhost", "[::1]"].includes(this.base.hostname)) {
      throw new Error(`the benchmark client only talks to the loopback interface, not ${baseUrl}`);
    }
    this.agent = new http.Agent({ keepAlive: true, maxSockets, keepAliveMsecs: 10_000 });
  }

  request(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const headers: Record<string, string> = { accept: "application/json", ...options.headers };
    if (payload !== undefined) {
      headers["content-type"] = "application/json";
      headers["content-length"] = String(Buffer.byteLength(payload));
    }
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    return new Promise((resolve, reject) => {
      const started = performance.now();
      const req = http.request(
        {
          agent: this.agent,
          host: this.base.hostname.replace(/^\[|\]$/g, ""),
          port: this.base.port,
          method,
          path,
          headers,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("error", reject);
          res.on("end", () => {
            const body = Buffer.concat(chunks);
            resolve({
              status: res.statusCode ?? 0,
              ms: performance.now() - started,
              bytes: body.length,
              text: body.toString("utf8"),
              headers: res.headers,
            });
          });
        },
      );
      req.setTimeout(options.timeoutMs ?? 30_000, () =>
        req.destroy(new Error(`${method} ${path} timed out`)),
      );
      req.on("error", reject);
      req.end(payload);
    });
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
    this.agent.destroy();
  }
}
