/**
 * Starts a real Hearth server for a test on port 0, on a fresh database, and offers a
 * small client for its HTTP API.
 */
import { loadConfig } from "../../server/config.ts";
import { type HearthOptions, type RunningHearth, startHearth } from "../../server/hearth.ts";
import { createTestDatabase, type TestDatabase } from "./database.ts";
import { type HostTokenOptions, signHostToken, TEST_SSO_SECRET } from "./tokens.ts";

export interface TestApp extends RunningHearth {
  testDatabase: TestDatabase;
  /** Moves the server's clock. */
  clock: { offsetMs: number };
  /** Calls the API; JSON in and out. */
  request(method: string, path: string, options?: RequestOptions): Promise<TestResponse>;
  /** Signs a host token, exchanges it, and returns the session token and member. */
  signIn(
    options?: HostTokenOptions,
  ): Promise<{ token: string; member: { id: string; handle: string; name: string } }>;
}

export interface RequestOptions {
  body?: unknown;
  /** Raw body text, sent as application/json. */
  raw?: string;
  token?: string;
  headers?: Record<string, string>;
}

export interface TestResponse {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: test responses are inspected field by field
  body: any;
}

export async function startTestApp(
  options: { env?: Record<string, string>; database?: TestDatabase; hearth?: HearthOptions } = {},
): Promise<TestApp> {
  const testDatabase = options.database ?? (await createTestDatabase());
  const clock = { offsetMs: 0 };
  const config = loadConfig({
    PORT: "0",
    HOST: "127.0.0.1",
    HEARTH_SSO_SECRET: TEST_SSO_SECRET,
    HEARTH_LOG_LEVEL: "silent",
    HEARTH_API_KEY: "test-api-key-0123456789abcdef",
    HEARTH_SSO_TRUST_ROLES: "1",
    ...options.env,
  });
  const hearth = await startHearth(config, {
    database: testDatabase.database,
    now: () => new Date(Date.now() + clock.offsetMs),
    ...options.hearth,
  });
  const request: TestApp["request"] = async (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined;
    if (opts.raw !== undefined) body = opts.raw;
    else if (opts.body !== undefined) body = JSON.stringify(opts.body);
    if (body !== undefined && !headers["content-type"])
      headers["content-type"] = "application/json";
    const res = await fetch(hearth.url + path, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {}
    return { status: res.status, headers: res.headers, body: parsed };
  };
  return {
    ...hearth,
    testDatabase,
    clock,
    request,
    async signIn(tokenOptions = {}) {
      const res = await request("POST", "/api/session", {
        body: { token: await signHostToken(tokenOptions) },
      });
      if (res.status !== 200)
        throw new Error(`sign-in failed: ${res.status} ${JSON.stringify(res.body)}`);
      return { token: res.body.session.token, member: res.body.member };
    },
    async close() {
      await hearth.close();
      if (!options.database) await testDatabase.dispose();
    },
  };
}
