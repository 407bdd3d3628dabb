/**
 * `npm run bench -- moderation [--pglite] [--requests N]`: the moderation queue with 10,000
 * held comments (first page, a filtered page, a deep page), and what bot screening costs a
 * signup: `POST /api/session` for first sessions (screened) against returning sessions (not
 * screened), and `POST /api/screen/signup` alone. Hearth runs in this process on a fresh
 * PostgreSQL database (or in-memory PGlite with `--pglite`); requests go one after the other.
 * Rewrites the "## Moderation" section of docs/benchmarks.md.
 *
 *   --quick      100 requests per row (and 100 signups), for a quick look (no docs)
 *   --cpu-prof   profiles this process (server and client) during the queue rows and during
 *                the session rows, and prints where the CPU went (no docs)
 *   --keep-db    keeps the PostgreSQL database for EXPLAIN ANALYZE afterwards (no docs)
 *   --no-docs    leaves docs/benchmarks.md alone
 */
import { randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import os from "node:os";
import { join } from "node:path";
import { solveChallenge } from "altcha-lib/v1";
import * as jose from "jose";
import { openDatabase } from "../db/client.ts";
import { comments, members, moderationQueue, threads } from "../db/schema.ts";
import { loadConfig } from "../server/config.ts";
import { startHearth } from "../server/hearth.ts";
import { printSummary, summarizeProfile } from "./lib/cpuprofile.ts";
import { createBenchDatabase } from "./lib/database.ts";
import { machine, markdownTable, textTable, writeSection } from "./lib/report.ts";
import { repoRoot } from "./lib/server.ts";
import { ms, seededRandom, summarize } from "./lib/stats.ts";

export const description = "mod queue p95 with 10,000 held items; screening cost per signup";

const SECRET = "bench-secret-for-member-tokens-0123456789abcdef";
const API_KEY = "bench-api-key-0123456789abcdef";
const HELD = 10_000;
/** Unmeasured first sessions of each kind before the measured ones. */
const WARMUP = 20;

async function hostToken(sub: string, name: string, roles: string[] = ["member"]) {
  const now = Math.floor(Date.now() / 1000);
  return new jose.SignJWT({ name, email: `${sub}@example.org`, roles })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(sub)
    .setAudience("hearth")
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(new TextEncoder().encode(SECRET));
}

async function time(fn: () => Promise<Response>): Promise<number> {
  const started = performance.now();
  const res = await fn();
  await res.arrayBuffer();
  const elapsed = performance.now() - started;
  if (!res.ok) throw new Error(`request failed with ${res.status}`);
  return elapsed;
}

/** Profiles `fn` with the inspector when asked, and prints where the CPU went. */
async function profiled<T>(enabled: boolean, label: string, fn: () => Promise<T>): Promise<T> {
  if (!enabled) return fn();
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 200 });
  await session.post("Profiler.start");
  try {
    return await fn();
  } finally {
    const { profile } = await session.post("Profiler.stop");
    session.disconnect();
    const file = join(os.tmpdir(), `hearth-moderation-${label}-${Date.now()}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    printSummary(`CPU profile, ${label} (${file})`, summarizeProfile(file, repoRoot, 25));
  }
}

export async function run(args: string[]): Promise<void> {
  const usePglite = args.includes("--pglite");
  const quick = args.includes("--quick");
  const cpuProf = args.includes("--cpu-prof");
  const keepDb = args.includes("--keep-db");
  const writeDocs = !quick && !cpuProf && !keepDb && !args.includes("--no-docs");
  const requests = Number(args[args.indexOf("--requests") + 1]) || (quick ? 100 : 500);
  const pg = usePglite ? undefined : await createBenchDatabase("moderation");
  const database = await openDatabase(pg ? { databaseUrl: pg.url } : { dataDir: "memory://" });
  const config = loadConfig({
    PORT: "0",
    HOST: "127.0.0.1",
    HEARTH_SSO_SECRET: SECRET,
    HEARTH_SSO_TRUST_ROLES: "1",
    HEARTH_API_KEY: API_KEY,
    HEARTH_LOG_LEVEL: "silent",
    HEARTH_DEMO: "0",
    HEARTH_SCREEN_POW_MAX: "5000",
  });
  const hearth = await startHearth(config, { database });
  const db = hearth.ctx.database.db;
  const random = seededRandom(7);
  try {
    // Seed: 500 authors, 50 threads, 10,000 held comments each with its queue item.
    console.log(`seeding ${HELD.toLocaleString("en-US")} held comments…`);
    const authors = Array.from({ length: 500 }, (_, i) => ({
      id: randomUUID(),
      issuer: "bench",
      subject: `author-${i}`,
      handle: `author-${i}`,
      name: `Author ${i}`,
    }));
    await db.insert(members).values(authors);
    const threadRows = await db
      .insert(threads)
      .values(
        Array.from({ length: 50 }, (_, i) => ({ key: `bench/thread-${i}`, premoderated: true })),
      )
      .returning({ id: threads.id });
    const reasons = ["premoderation", "screening", "word_filter", "flags", "limited"] as const;
    for (let start = 0; start < HELD; start += 1000) {
      const batch = Array.from({ length: 1000 }, (_, i) => {
        const author = authors[Math.floor(random() * authors.length)]!;
        const thread = threadRows[(start + i) % threadRows.length]!;
        return {
          threadId: thread.id,
          authorId: author.id,
          body: `Held comment ${start + i}`,
          html: `<p>Held comment ${start + i}</p>`,
          status: "held" as const,
        };
      });
      const inserted = await db
        .insert(comments)
        .values(batch)
        .returning({ id: comments.id, threadId: comments.threadId, authorId: comments.authorId });
      await db.insert(moderationQueue).values(
        inserted.map((c, i) => ({
          kind: "comment" as const,
          reason: reasons[(start + i) % reasons.length]!,
          threadId: c.threadId,
          commentId: c.id,
          memberId: c.authorId,
        })),
      );
    }

    const session = await fetch(`${hearth.url}/api/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        token: await hostToken("bench-mod", "Bench Moderator", ["member", "moderator"]),
      }),
    }).then((r) => r.json() as Promise<{ session: { token: string } }>);
    const auth = { authorization: `Bearer ${session.session.token}` };
    const get = (path: string) => () => fetch(`${hearth.url}${path}`, { headers: auth });

    // A cursor 100 pages deep.
    let cursor = "";
    for (let page = 0; page < 100; page++) {
      const body = (await (
        await get(`/api/mod/queue?limit=20${cursor ? `&cursor=${cursor}` : ""}`)()
      ).json()) as {
        nextCursor: string;
      };
      cursor = body.nextCursor;
    }

    const scenarios: { name: string; target?: number; run: () => Promise<Response> }[] = [
      { name: "queue, first page (20 items)", target: 30, run: get("/api/mod/queue?limit=20") },
      { name: "queue, reason=flags", run: get("/api/mod/queue?limit=20&reason=flags") },
      { name: "queue, one thread", run: get("/api/mod/queue?limit=20&thread=bench%2Fthread-7") },
      { name: "queue, page 101", run: get(`/api/mod/queue?limit=20&cursor=${cursor}`) },
    ];
    const rows: string[][] = [];
    await profiled(cpuProf, "queue", async () => {
      for (const scenario of scenarios) {
        for (let i = 0; i < 30; i++) await time(scenario.run);
        const samples: number[] = [];
        for (let i = 0; i < requests; i++) samples.push(await time(scenario.run));
        const s = summarize(samples);
        rows.push([
          scenario.name,
          ms(s.p50),
          ms(s.p95),
          ms(s.p99),
          scenario.target
            ? `≤ ${scenario.target} ms ${s.p95 <= scenario.target ? "met" : "missed"}`
            : "",
        ]);
      }
    });

    // Screening: first sessions (screened) against returning sessions (not screened).
    const signups = Math.min(requests, 400);
    console.log(`solving ${signups + WARMUP} proof-of-work challenges (client side, not timed)…`);
    const payloads: string[] = [];
    for (let i = 0; i < signups + WARMUP; i++) {
      const challenge = (await (await fetch(`${hearth.url}/api/screen/challenge`)).json()) as {
        algorithm: string;
        challenge: string;
        salt: string;
        signature: string;
      };
      const solution = await solveChallenge(challenge.challenge, challenge.salt, "SHA-256", 5000)
        .promise;
      payloads.push(
        Buffer.from(JSON.stringify({ ...challenge, number: solution?.number ?? 0 })).toString(
          "base64",
        ),
      );
    }
    const tokens = await Promise.all(
      Array.from({ length: signups + WARMUP }, (_, i) =>
        hostToken(`signup-${i}`, `Signup Person ${i}`),
      ),
    );
    const again = await Promise.all(
      Array.from({ length: signups }, (_, i) => hostToken(`signup-${i}`, `Signup Person ${i}`)),
    );
    const ip = () =>
      `${20 + Math.floor(random() * 180)}.${Math.floor(random() * 255)}.${Math.floor(random() * 255)}.${1 + Math.floor(random() * 250)}`;
    const sessionRequest = (token: string, screening?: object) => () =>
      fetch(`${hearth.url}/api/session`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": ip() },
        body: JSON.stringify({ token, ...(screening ? { screening } : {}) }),
      });
    const first: number[] = [];
    const returning: number[] = [];
    const unscreened: number[] = [];
    const hostSignup: number[] = [];
    // Moderators are not screened: their first sessions create the member the same way.
    const staffTokens = await Promise.all(
      Array.from({ length: signups + WARMUP }, (_, i) =>
        hostToken(`staff-${i}`, `Staff Person ${i}`, ["member", "moderator"]),
      ),
    );
    const screened = (i: number) =>
      sessionRequest(tokens[i]!, { honeypot: "", elapsedMs: 9000, altcha: payloads[i] });
    const staff = (i: number) =>
      sessionRequest(staffTokens[i]!, { honeypot: "", elapsedMs: 9000, altcha: payloads[i] });
    // Unmeasured first sessions of both kinds, then the measured ones taken in turns, so
    // that both kinds meet the same machine and the difference is screening's.
    for (let i = signups; i < signups + WARMUP; i++) {
      await time(screened(i));
      await time(staff(i));
    }
    await profiled(cpuProf, "sessions", async () => {
      for (let i = 0; i < signups; i++) {
        first.push(await time(screened(i)));
        unscreened.push(await time(staff(i)));
      }
      for (let i = 0; i < signups; i++) returning.push(await time(sessionRequest(again[i]!)));
      for (let i = 0; i < signups; i++) {
        hostSignup.push(
          await time(() =>
            fetch(`${hearth.url}/api/screen/signup`, {
              method: "POST",
              headers: { "content-type": "application/json", authorization: `Bearer ${API_KEY}` },
              body: JSON.stringify({
                email: `person${i}@example.org`,
                name: `Person ${i}`,
                ip: ip(),
                elapsedMs: 8000,
              }),
            }),
          ),
        );
      }
    });
    const f = summarize(first);
    const r = summarize(returning);
    const h = summarize(hostSignup);
    const u = summarize(unscreened);
    const added = f.p95 - u.p95;
    const screeningRows = [
      ["POST /api/session, first session (screened)", ms(f.p50), ms(f.p95), ms(f.p99), ""],
      [
        "POST /api/session, first session (moderator, not screened)",
        ms(u.p50),
        ms(u.p95),
        ms(u.p99),
        "",
      ],
      ["POST /api/session, returning member", ms(r.p50), ms(r.p95), ms(r.p99), ""],
      [
        "screening added to a first session (p95 difference)",
        "",
        ms(added),
        "",
        `≤ 5 ms ${added <= 5 ? "met" : "missed"}`,
      ],
      ["POST /api/screen/signup (screening alone)", ms(h.p50), ms(h.p95), ms(h.p99), ""],
    ];
    const table = {
      headers: ["request", "p50", "p95", "p99", "target"],
      rows: [...rows, ...screeningRows],
      align: ["l", "r", "r", "r", "l"] as ("l" | "r")[],
    };
    console.log("");
    console.log(textTable(table));
    console.log(
      `load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")}`,
    );
    if (keepDb && pg) console.log(`kept the database: ${pg.url}`);
    const driver = pg ? `PostgreSQL ${pg.version}` : "PGlite (in memory)";
    if (writeDocs)
      writeSection(
        "## Moderation (`npm run bench -- moderation`)",
        [
          `${HELD.toLocaleString("en-US")} held comments in the queue over 50 threads and 500 authors; ${requests} sequential requests per row after 30 warm-up requests, client and server in one process, on ${driver}; ${machine()}; load average ${os.loadavg()[0]!.toFixed(1)} when the run ended (other work shared the machine). Screening rows: after ${WARMUP} unmeasured ones of each kind, ${signups} first sessions with honeypot, timing and a solved proof-of-work from distinct public addresses (velocity looked up) taken in turns with as many first sessions of moderators (created the same way, not screened), so both kinds meet the same machine; then the members' next sessions, then ${signups} host signups (no external services). A queue page is one statement; screening adds to a first session one read (run alongside the granted-roles lookup) and one write (the verdict, with the address and the challenge's use), so what it adds at p95 is mostly that write's commit.`,
          "",
          markdownTable(table),
        ].join("\n"),
      );
  } finally {
    await hearth.close();
    await database.close();
    if (!keepDb) await pg?.drop();
  }
}
