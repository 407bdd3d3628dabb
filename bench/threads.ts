/**
 * Threads: how Hearth holds up on one large thread.
 *
 *   npm run bench -- threads                 full run; rewrites its section of docs/benchmarks.md
 *   npm run bench -- threads --quick         smaller and shorter, for a quick look (no docs)
 *   npm run bench -- threads --cpu-prof      profiles the server and prints where its CPU went, by
 *                                            module and function, over the whole run and while
 *                                            posting with 1 and with 16 members (no docs)
 *   npm run bench -- threads --keep-db       keeps the database for EXPLAIN ANALYZE afterwards
 *   npm run bench -- threads --no-docs       leaves docs/benchmarks.md alone
 *
 * Hearth runs as its own process (as in production) on a fresh PostgreSQL database; this
 * process is the load generator and talks to it over keep-alive HTTP on 127.0.0.1. The run
 * seeds a 10,000-comment thread through the API, then measures first-page latency, posting
 * throughput with 1 and 16 members, server memory and the size of the widgets bundle.
 * Every phase is bounded in count and time, and the database is dropped even on failure.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import postgres from "postgres";
import { commentBody, ThreadModel } from "./lib/content.ts";
import { monotonicMicros, type ProfileWindow, printProfiles } from "./lib/cpuprofile.ts";
import { type BenchDatabase, createBenchDatabase } from "./lib/database.ts";
import { guardRun } from "./lib/guard.ts";
import { HttpClient, type Response } from "./lib/http.ts";
import { type BenchMember, openSessions } from "./lib/members.ts";
import { machine, markdownTable, type Table, textTable, writeSection } from "./lib/report.ts";
import { checkOptions, log, sleep } from "./lib/run.ts";
import { type BenchServer, postgresCpuMs, readCpuMs, repoRoot, startServer } from "./lib/server.ts";
import { int, kb, mb, ms, type Summary, seededRandom, summarize } from "./lib/stats.ts";

export const description =
  "a 10,000-comment thread: seeding, first-page latency, posting throughput, memory, widget size";

const HEADING = "## Threads (`npm run bench -- threads`)";
const THREAD_KEY = "bench/threads/big-discussion";
const PAGE_LIMIT = 50;
const REACTION_KINDS = ["like", "like", "like", "love", "insightful", "laugh"];

const TARGETS = {
  pageP50: 3,
  pageP95: 10,
  postsPerSecond16: 2000,
  widgetsGzipBytes: 35 * 1024,
};

interface Options {
  comments: number;
  reactions: number;
  members: number;
  seedConcurrency: number;
  pageRequests: number;
  warmupMs: number;
  durationMs: number;
  rawDurationMs: number;
  writeDocs: boolean;
  cpuProf: boolean;
  keepDb: boolean;
  /** The whole run gives up after this long. */
  deadlineMs: number;
}

function parseOptions(args: string[]): Options {
  checkOptions(args, ["--quick", "--no-docs", "--cpu-prof", "--keep-db"]);
  const quick = args.includes("--quick");
  const cpuProf = args.includes("--cpu-prof");
  return {
    comments: quick ? 2_000 : 10_000,
    reactions: quick ? 600 : 3_000,
    members: 20,
    seedConcurrency: 6,
    pageRequests: quick ? 100 : 500,
    warmupMs: quick ? 1_000 : 2_000,
    durationMs: quick ? 4_000 : 10_000,
    rawDurationMs: quick ? 2_000 : 5_000,
    writeDocs: !quick && !cpuProf && !args.includes("--no-docs"),
    cpuProf,
    keepDb: args.includes("--keep-db"),
    deadlineMs: 20 * 60_000,
  };
}

interface CommentNode {
  replies?: CommentNode[];
}

function countComments(list: CommentNode[]): number {
  let count = 0;
  for (const node of list) count += 1 + countComments(node.replies ?? []);
  return count;
}

/** Posting state shared by every phase that writes: the thread's shape and the random source. */
class Writer {
  readonly random = seededRandom(20240601);
  readonly model = new ThreadModel(this.random);
  /** Comments the server held for review, by reason; they are not used as parents. */
  readonly held = new Map<string, number>();
  private readonly path = `/api/threads/${encodeURIComponent(THREAD_KEY)}/comments`;

  constructor(
    private readonly client: HttpClient,
    private readonly members: BenchMember[],
  ) {}

  /** A member picked at random. */
  anyone(): BenchMember {
    return this.members[Math.floor(this.random() * this.members.length)]!;
  }

  /** Posts one comment as `member`, placed by the thread model; the response comes back as is. */
  async post(member: BenchMember): Promise<Response> {
    const parentId = this.model.nextParent();
    const body = commentBody(this.random);
    const res = await this.client.request("POST", this.path, {
      token: member.token,
      body: parentId === undefined ? { body } : { body, parentId: String(parentId) },
    });
    if (res.status === 201) {
      const { comment } = JSON.parse(res.text) as {
        comment: { id: string; status: string };
      };
      if (comment.status === "published") this.model.add(Number(comment.id), parentId);
      else {
        this.held.set(comment.status, (this.held.get(comment.status) ?? 0) + 1);
      }
    }
    return res;
  }
}

interface SeedResult {
  comments: number;
  seconds: number;
  reactions: number;
  reactionSeconds: number;
  shape: ReturnType<ThreadModel["shape"]>;
}

/** Runs `total` jobs on `concurrency` workers; throws after too many failures. */
async function runJobs(
  total: number,
  concurrency: number,
  job: (index: number) => Promise<Response>,
  what: string,
): Promise<void> {
  let next = 0;
  let failures = 0;
  let lastFailure = "";
  const worker = async () => {
    while (next < total) {
      const index = next++;
      const res = await job(index);
      if (res.status < 200 || res.status > 299) {
        failures++;
        lastFailure = `${res.status} ${res.text.slice(0, 200)}`;
        if (failures > 20) throw new Error(`${what}: too many failures, last: ${lastFailure}`);
      }
      if (index > 0 && index % 2000 === 0) log(`  ${what}: ${index.toLocaleString("en-US")}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  if (failures > 0) log(`  ${what}: ${failures} failed requests (last: ${lastFailure})`);
}

async function seed(client: HttpClient, writer: Writer, options: Options): Promise<SeedResult> {
  const pickMember = () => writer.anyone();
  log(
    `seeding ${int(options.comments)} comments with ${options.seedConcurrency} concurrent members`,
  );
  let started = performance.now();
  await runJobs(
    options.comments,
    options.seedConcurrency,
    () => writer.post(pickMember()),
    "comments",
  );
  const seconds = (performance.now() - started) / 1000;
  for (const [status, count] of writer.held) log(`  ${int(count)} comments came back ${status}`);
  log(`seeding ${int(options.reactions)} reactions`);
  started = performance.now();
  await runJobs(
    options.reactions,
    options.seedConcurrency,
    () =>
      client.request("POST", `/api/comments/${writer.model.popularComment()}/reactions`, {
        token: pickMember().token,
        body: { kind: REACTION_KINDS[Math.floor(writer.random() * REACTION_KINDS.length)] },
      }),
    "reactions",
  );
  return {
    comments: writer.model.size,
    seconds,
    reactions: options.reactions,
    reactionSeconds: (performance.now() - started) / 1000,
    shape: writer.model.shape(),
  };
}

type Sort = "oldest" | "newest" | "top";

interface PageSeries {
  sort: Sort;
  viewer: string;
  mode: "repeated" | "after a write";
  latency: Summary;
  failures: number;
  bytes: number;
  gzipBytes: number;
  comments: number;
  topLevel: number;
}

/**
 * Reads the first page `requests` times as `readers` in turn (anonymously when there are
 * none); "after a write" posts one comment before each read and times only the read.
 */
async function pageSeries(
  client: HttpClient,
  writer: Writer,
  readers: BenchMember[],
  sort: Sort,
  mode: PageSeries["mode"],
  requests: number,
): Promise<PageSeries> {
  const path = `/api/threads/${encodeURIComponent(THREAD_KEY)}/comments?sort=${sort}&limit=${PAGE_LIMIT}`;
  const tokenFor = (i: number) => (readers.length ? readers[i % readers.length]!.token : undefined);
  for (let i = 0; i < 20; i++) await client.request("GET", path, { token: tokenFor(i) });
  const samples: number[] = [];
  let failures = 0;
  let last: Response | undefined;
  for (let i = 0; i < requests; i++) {
    if (mode === "after a write") {
      const posted = await writer.post(readers[i % readers.length] ?? writer.anyone());
      if (posted.status !== 201) failures++;
    }
    const res = await client.request("GET", path, { token: tokenFor(i) });
    if (res.status !== 200) failures++;
    else last = res;
    samples.push(res.ms);
  }
  const page = last ? (JSON.parse(last.text) as { comments: CommentNode[] }) : { comments: [] };
  return {
    sort,
    viewer:
      readers.length === 0
        ? "anonymous"
        : readers.length === 1
          ? "member"
          : `${readers.length} members in turn`,
    mode,
    latency: summarize(samples),
    failures,
    bytes: last?.bytes ?? Number.NaN,
    gzipBytes: last ? gzipSync(last.text).length : Number.NaN,
    comments: countComments(page.comments),
    topLevel: page.comments.length,
  };
}

interface LoadResult {
  members: number;
  seconds: number;
  posted: number;
  perSecond: number;
  latency: Summary;
  statuses: Record<string, number>;
  peakRss: number;
  /** CPU milliseconds per comment posted in the window: the server's and PostgreSQL's. */
  serverCpuMs: number;
  databaseCpuMs: number;
  /** Events not yet dispatched (notifications not yet written) when the posting stopped. */
  backlog: number;
  /** Milliseconds from the end of posting until every event was dispatched. */
  drainMs: number;
}

/** Events recorded but not yet dispatched. */
async function pendingEvents(sql: postgres.Sql): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from events where dispatched_at is null`;
  return row?.n ?? 0;
}

/** Waits (at most a minute) until the server has dispatched every event; returns how long. */
async function waitForDispatch(sql: postgres.Sql): Promise<number> {
  const started = performance.now();
  while ((await pendingEvents(sql)) > 0) {
    if (performance.now() - started > 60_000) return Number.POSITIVE_INFINITY;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return performance.now() - started;
}

/**
 * Every member posts back to back into the thread for `warmupMs` and then `durationMs`;
 * only posts that complete within the measured window count.
 */
async function postingLoad(
  writer: Writer,
  members: BenchMember[],
  options: Options,
  server: BenchServer,
  databaseUrl: string,
): Promise<LoadResult> {
  const startsAt = performance.now() + options.warmupMs;
  const endsAt = startsAt + options.durationMs;
  const samples: number[] = [];
  const statuses: Record<string, number> = {};
  let peakRss = server.rss();
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, server.rss());
  }, 50);
  let cpuAtStart = { server: Number.NaN, database: Number.NaN };
  const cpuTimer = setTimeout(
    () => {
      cpuAtStart = { server: readCpuMs(server.pid), database: postgresCpuMs() };
    },
    Math.max(0, startsAt - performance.now()),
  );
  let cpuAtEnd = { server: Number.NaN, database: Number.NaN };
  const cpuEndTimer = setTimeout(
    () => {
      cpuAtEnd = { server: readCpuMs(server.pid), database: postgresCpuMs() };
    },
    Math.max(0, endsAt - performance.now()),
  );
  const worker = async (member: BenchMember) => {
    while (performance.now() < endsAt) {
      const sent = performance.now();
      let status: string;
      let elapsed: number;
      try {
        const res = await writer.post(member);
        status = String(res.status);
        elapsed = res.ms;
      } catch (error) {
        status = `error: ${(error as Error).message.slice(0, 60)}`;
        elapsed = performance.now() - sent;
      }
      const done = performance.now();
      if (sent >= startsAt && done <= endsAt) {
        samples.push(elapsed);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    }
  };
  try {
    await Promise.all(members.map(worker));
  } finally {
    clearInterval(sampler);
    clearTimeout(cpuTimer);
    clearTimeout(cpuEndTimer);
  }
  // Posting is only as fast as the work it causes: the notifications must keep up.
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  let backlog: number;
  let drainMs: number;
  try {
    backlog = await pendingEvents(sql);
    drainMs = await waitForDispatch(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
  const posted = statuses["201"] ?? 0;
  return {
    members: members.length,
    seconds: options.durationMs / 1000,
    posted,
    perSecond: posted / (options.durationMs / 1000),
    latency: summarize(samples),
    statuses,
    peakRss: Math.max(peakRss, server.rss()),
    serverCpuMs: (cpuAtEnd.server - cpuAtStart.server) / Math.max(1, posted),
    databaseCpuMs: (cpuAtEnd.database - cpuAtStart.database) / Math.max(1, posted),
    backlog,
    drainMs,
  };
}

interface RawResult {
  connections: number;
  perSecond: number;
}

/**
 * The ceiling under the API: single-row inserts into the same comments table (same indexes)
 * straight through the driver, autocommit, from `connections` connections at once.
 */
async function rawInserts(
  url: string,
  connections: number,
  durationMs: number,
): Promise<RawResult> {
  const sql = postgres(url, { max: connections, onnotice: () => {} });
  try {
    const [thread] = await sql<{ id: number }[]>`
      insert into threads (key) values (${`bench/raw/${connections}`}) returning id`;
    const [member] = await sql<{ id: string }[]>`select id from members limit 1`;
    const random = seededRandom(connections);
    const bodies = Array.from({ length: 64 }, () => commentBody(random));
    let inserted = 0;
    const endsAt = performance.now() + durationMs;
    await Promise.all(
      Array.from({ length: connections }, async (_, worker) => {
        let i = worker;
        while (performance.now() < endsAt) {
          const body = bodies[i++ % bodies.length]!;
          await sql`insert into comments (thread_id, author_id, body, html)
            values (${thread!.id}, ${member!.id}, ${body}, ${`<p>${body}</p>`})`;
          inserted++;
        }
      }),
    );
    return { connections, perSecond: inserted / (durationMs / 1000) };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Runs VACUUM (ANALYZE) on the bench database; returns the server's autovacuum setting. */
async function vacuumAnalyze(url: string): Promise<string> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`vacuum (analyze)`;
    const [row] = await sql<{ autovacuum: string }[]>`show autovacuum`;
    return row?.autovacuum ?? "unknown";
  } finally {
    await sql.end({ timeout: 5 });
  }
}

interface WidgetsResult {
  state: "measured" | "not built" | "build failed";
  bytes: number;
  gzipBytes: number;
  /** The files a page loads: hearth.js and the chunks it imports. */
  files?: string[];
  detail?: string;
}

function buildWidgets(): WidgetsResult | undefined {
  if (!existsSync(join(repoRoot, "widgets", "build.ts"))) return undefined;
  log("building the widgets bundle");
  const result = spawnSync(process.execPath, ["--import", "tsx", "widgets/build.ts"], {
    cwd: repoRoot,
    encoding: "utf8",
    timeout: 180_000,
  });
  if (result.status === 0) return undefined;
  const detail = `${result.stderr || result.stdout || result.error?.message || ""}`.trim();
  return { state: "build failed", bytes: Number.NaN, gzipBytes: Number.NaN, detail };
}

/**
 * What a page loads for `<hearth-thread>`: `/widgets/hearth.js` and every chunk it imports
 * statically, fetched as a browser would, each file gzipped on its own (as it is sent).
 */
async function measureWidgets(client: HttpClient): Promise<WidgetsResult> {
  const files: string[] = [];
  let bytes = 0;
  let gzipBytes = 0;
  const queue = ["hearth.js"];
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (files.includes(file)) continue;
    const res = await client.request("GET", `/widgets/${file}`, { headers: { accept: "*/*" } });
    if (res.status !== 200) return { state: "not built", bytes: Number.NaN, gzipBytes: Number.NaN };
    files.push(file);
    const raw = Buffer.from(res.text, "utf8");
    bytes += raw.length;
    gzipBytes += gzipSync(raw, { level: 9 }).length;
    // Static imports only: `import(…)` loads on demand, as the moderation desk does.
    for (const match of res.text.matchAll(/(?:\bfrom|\bimport)\s*"\.\/([\w.-]+\.js)"/g)) {
      queue.push(match[1]!);
    }
  }
  return { state: "measured", bytes, gzipBytes, files };
}

interface Results {
  date: string;
  /** One-minute load average when the run started and when it ended. */
  loadBefore: number;
  loadAfter: number;
  autovacuum: string;
  postgresVersion: string;
  seed: SeedResult;
  rssAtStart: number;
  rssAtRest: number;
  pages: PageSeries[];
  loads: LoadResult[];
  raw: RawResult[];
  widgets: WidgetsResult;
}

function pageTable(results: Results): Table {
  return {
    headers: [
      "Sort",
      "Viewer",
      "Measured",
      "Requests",
      "p50",
      "p95",
      "p99",
      "Comments (top-level)",
      "Size (gzip)",
      "Failed",
    ],
    align: ["l", "l", "l", "r", "r", "r", "r", "r", "r", "r"],
    rows: results.pages.map((page) => [
      page.sort,
      page.viewer,
      page.mode,
      int(page.latency.count),
      ms(page.latency.p50),
      ms(page.latency.p95),
      ms(page.latency.p99),
      `${int(page.comments)} (${int(page.topLevel)})`,
      `${kb(page.bytes)} (${kb(page.gzipBytes)})`,
      int(page.failures),
    ]),
  };
}

function statusText(statuses: Record<string, number>): string {
  const other = Object.entries(statuses).filter(([status]) => status !== "201");
  return other.length ? other.map(([status, count]) => `${count}× ${status}`).join(", ") : "none";
}

function loadTable(results: Results): Table {
  return {
    headers: [
      "Members",
      "Window",
      "Posted",
      "Comments/s",
      "p50",
      "p95",
      "p99",
      "Server CPU/comment",
      "PostgreSQL CPU/comment",
      "Undispatched at the end",
      "All dispatched after",
      "Not 201",
    ],
    align: ["r", "r", "r", "r", "r", "r", "r", "r", "r", "r", "r", "l"],
    rows: results.loads.map((load) => [
      int(load.members),
      `${load.seconds} s`,
      int(load.posted),
      int(load.perSecond),
      ms(load.latency.p50),
      ms(load.latency.p95),
      ms(load.latency.p99),
      ms(load.serverCpuMs),
      ms(load.databaseCpuMs),
      int(load.backlog),
      ms(load.drainMs),
      statusText(load.statuses),
    ]),
  };
}

function otherTable(results: Results): Table {
  const { seed, widgets } = results;
  const widgetsText =
    widgets.state === "measured"
      ? `${kb(widgets.gzipBytes)} gzip -9 (${kb(widgets.bytes)} raw): hearth.js and the ${(widgets.files?.length ?? 1) - 1} chunks it imports, each gzipped on its own`
      : widgets.state;
  return {
    headers: ["Figure", "Value"],
    rows: [
      [
        "Seeding (HTTP API, 6 members at once)",
        `${int(seed.comments)} comments in ${seed.seconds.toFixed(1)} s (${int(seed.comments / seed.seconds)}/s); ${int(seed.reactions)} reactions in ${seed.reactionSeconds.toFixed(1)} s`,
      ],
      [
        "Thread shape",
        `${int(seed.shape.topLevel)} top-level, replies up to depth ${seed.shape.maxDepth}, most direct replies to one comment ${int(seed.shape.maxReplies)}`,
      ],
      ["Server RSS at start", mb(results.rssAtStart)],
      ["Server RSS at rest after seeding", mb(results.rssAtRest)],
      [
        "Server RSS peak, 16 members posting",
        mb(Math.max(...results.loads.map((load) => load.peakRss))),
      ],
      ...results.raw.map((raw) => [
        `Raw PostgreSQL inserts into comments, ${raw.connections} connection${raw.connections > 1 ? "s" : ""}`,
        `${int(raw.perSecond)}/s`,
      ]),
      ["Widgets a page loads, from GET /widgets/hearth.js", widgetsText],
    ],
  };
}

function targetTable(results: Results): Table {
  const worstP50 = Math.max(...results.pages.map((page) => page.latency.p50));
  const worstP95 = Math.max(...results.pages.map((page) => page.latency.p95));
  const oldest = results.pages.find(
    (page) => page.sort === "oldest" && page.viewer === "member" && page.mode === "repeated",
  );
  const sixteen = results.loads.find((load) => load.members === 16);
  const { widgets } = results;
  const mark = (ok: boolean | undefined) => (ok === undefined ? "n/a" : ok ? "met" : "not met");
  return {
    headers: ["Target", "Measured", "Result"],
    rows: [
      [
        `First page p50 ≤ ${TARGETS.pageP50} ms`,
        `${ms(oldest?.latency.p50 ?? Number.NaN)} (oldest, repeated); worst series ${ms(worstP50)}`,
        mark(worstP50 <= TARGETS.pageP50),
      ],
      [
        `First page p95 ≤ ${TARGETS.pageP95} ms`,
        `${ms(oldest?.latency.p95 ?? Number.NaN)} (oldest, repeated); worst series ${ms(worstP95)}`,
        mark(worstP95 <= TARGETS.pageP95),
      ],
      [
        `≥ ${int(TARGETS.postsPerSecond16)} comments/s with 16 members`,
        `${int(sixteen?.perSecond ?? Number.NaN)}/s`,
        mark(sixteen ? sixteen.perSecond >= TARGETS.postsPerSecond16 : undefined),
      ],
      [
        `Widgets ≤ ${TARGETS.widgetsGzipBytes / 1024} KB gzip`,
        widgets.state === "measured" ? kb(widgets.gzipBytes) : widgets.state,
        mark(
          widgets.state === "measured" ? widgets.gzipBytes <= TARGETS.widgetsGzipBytes : undefined,
        ),
      ],
    ],
  };
}

function docsSection(results: Results, options: Options): string {
  return `
<!-- Written by bench/threads.ts; run the command again to refresh this section. -->

Measured ${results.date} on ${machine()}; Node ${process.versions.node}, PostgreSQL ${results.postgresVersion} on the same machine (autovacuum ${results.autovacuum}; the run vacuums and analyzes after seeding, as autovacuum would). One-minute load average ${results.loadBefore.toFixed(2)} before the run and ${results.loadAfter.toFixed(2)} after it.
Command: \`npm run bench -- threads\`.

Hearth runs as its own process (the compiled \`node dist/server/main.js\`, \`NODE_ENV=production\`, per-member rate limit off, logging off) on a fresh PostgreSQL database; the load generator is a separate Node process on the same machine, talking HTTP/1.1 with keep-alive over 127.0.0.1 through undici's connection pool, so both compete for the same ${os.cpus().length} cores. The thread is seeded through the API with ${int(options.comments)} comments from ${options.members} members: a quarter top-level, replies drawn to recent and popular comments (preferential attachment), up to 8 levels deep, Markdown bodies with a median near 200 characters; then ${int(options.reactions)} reactions, so \`top\` has something to sort by.

### Targets

${markdownTable(targetTable(results))}

### First page (\`GET /api/threads/:key/comments?limit=${PAGE_LIMIT}\`)

A page holds ${PAGE_LIMIT} top-level comments and the replies the API sends along with them. "Repeated": ${int(options.pageRequests)} requests back to back with no writes in between, which the server may answer from its short-lived page cache; "members in turn" rotates through all ${options.members} members, as many readers would. "After a write": ${int(options.pageRequests)} rounds of one post then one page read, timing only the read. Latency is measured by the client from request to last byte; size is the JSON body as sent (the server does not compress it) and, in brackets, gzipped.

${markdownTable(pageTable(results))}

### Posting (\`POST /api/threads/:key/comments\`)

Each member has its own session and posts back to back into the same thread, a mix of top-level comments and replies; ${options.warmupMs / 1000} s of warm-up, then a ${options.durationMs / 1000} s window in which only completed posts count. CPU per comment is the CPU time the server process and all PostgreSQL processes used in the window (from \`/proc\`), divided by the comments posted; it includes the background work each comment causes (notifications for the thread's followers), and it moves less with whatever else the machine is doing than throughput does. Every member follows the thread (posting follows it), so each comment concerns up to ${options.members - 1} followers (a followed thread keeps one unread notification per member), and replies notify their parent's author. "Undispatched at the end" counts the comments whose notifications were not yet written when the window closed, and "All dispatched after" is how long the server then took to catch up: a posting rate is sustainable only when these stay small.

${markdownTable(loadTable(results))}

### Seeding, memory and bundle

${markdownTable(otherTable(results))}

Server memory is the resident set size (VmRSS) of the server process alone. The widgets are compressed when built and sent as \`.br\` or \`.gz\` to browsers that accept them; the size here is each file gzipped on its own at level 9, as the build writes it (1 KB = 1,024 bytes).

For scale: Remark42 posts 245 comments/s and Waline 142/s with 16 clients; raw PostgreSQL takes about 7,800 single-row inserts/s. The raw-insert rows above are the same kind of ceiling measured on this machine at the end of this run, with the server stopped: autocommitted single-row inserts straight into the comments table, with its indexes, through the \`postgres\` driver from the benchmark process. They vary from run to run with what else the machine is doing; compare figures from one run with each other rather than across runs.
`;
}

function printResults(results: Results) {
  console.log("\nTargets");
  console.log(textTable(targetTable(results)));
  console.log(`\nFirst page (limit=${PAGE_LIMIT})`);
  console.log(textTable(pageTable(results)));
  console.log("\nPosting");
  console.log(textTable(loadTable(results)));
  console.log("\nSeeding, memory and bundle");
  console.log(textTable(otherTable(results)));
}

export async function run(args: string[]): Promise<void> {
  const options = parseOptions(args);
  let database: BenchDatabase | undefined;
  let server: BenchServer | undefined;
  let client: HttpClient | undefined;
  let cleaning: Promise<void> | undefined;
  const cleanup = () => {
    cleaning ??= (async () => {
      client?.close();
      await server?.stop().catch(() => {});
      if (database && !options.keepDb) {
        await database.drop().catch((error: Error) => {
          console.error(`Could not drop the database ${database?.name}: ${error.message}`);
        });
      }
    })();
    return cleaning;
  };
  const release = guardRun(cleanup, options.deadlineMs);

  try {
    const loadBefore = os.loadavg()[0]!;
    const prebuilt = buildWidgets();
    database = await createBenchDatabase("threads");
    log(`database ${database.name} (PostgreSQL ${database.version})`);
    const profileDir = options.cpuProf
      ? mkdtempSync(join(os.tmpdir(), "hearth-threads-profile-"))
      : undefined;
    server = await startServer({
      databaseUrl: database.url,
      nodeArgs: profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [],
    });
    log(`server pid ${server.pid} at ${server.url}`);
    client = new HttpClient(server.url, 64);
    const rssAtStart = server.rss();

    const members = await openSessions(client, options.members);
    const writer = new Writer(client, members);
    const seedResult = await seed(client, writer, options);
    log(
      `seeded ${int(seedResult.comments)} comments in ${seedResult.seconds.toFixed(1)} s, ${int(seedResult.reactions)} reactions in ${seedResult.reactionSeconds.toFixed(1)} s`,
    );
    // Production runs autovacuum, which would have analyzed and vacuumed the table by now;
    // do it explicitly so plans and index-only scans look like a live server's.
    const autovacuum = await vacuumAnalyze(database.url);
    await sleep(2000);
    const rssAtRest = server.rss();

    const pages: PageSeries[] = [];
    const reader = members[0]!;
    for (const mode of ["repeated", "after a write"] as const) {
      for (const sort of ["oldest", "newest", "top"] as const) {
        log(`first page: ${sort}, ${mode}`);
        pages.push(await pageSeries(client, writer, [reader], sort, mode, options.pageRequests));
      }
    }
    log("first page: oldest, repeated, anonymous and members in turn");
    pages.push(await pageSeries(client, writer, [], "oldest", "repeated", options.pageRequests));
    pages.push(
      await pageSeries(client, writer, members, "oldest", "repeated", options.pageRequests),
    );

    const loads: LoadResult[] = [];
    const phases: Record<string, ProfileWindow> = {};
    for (const count of [1, 16]) {
      const phase = `posting with ${count} member${count > 1 ? "s" : ""}`;
      log(phase);
      const from = monotonicMicros();
      loads.push(await postingLoad(writer, members.slice(0, count), options, server, database.url));
      phases[phase] = { from, to: monotonicMicros() };
    }

    const widgets = prebuilt ?? (await measureWidgets(client));
    if (widgets.detail) log(`widgets build failed:\n${widgets.detail.slice(-2000)}`);

    client.close();
    await server.stop();
    if (profileDir) printProfiles(profileDir, repoRoot, 30, phases);

    const raw: RawResult[] = [];
    for (const connections of [1, 16]) {
      log(`raw inserts with ${connections} connection${connections > 1 ? "s" : ""}`);
      raw.push(await rawInserts(database.url, connections, options.rawDurationMs));
    }

    const results: Results = {
      date: new Date().toISOString().slice(0, 10),
      loadBefore,
      loadAfter: os.loadavg()[0]!,
      autovacuum,
      postgresVersion: database.version,
      seed: seedResult,
      rssAtStart,
      rssAtRest,
      pages,
      loads,
      raw,
      widgets,
    };
    printResults(results);
    if (options.writeDocs) {
      writeSection(HEADING, docsSection(results, options));
      log("wrote docs/benchmarks.md");
    }
    if (options.keepDb) log(`kept the database: ${database.url}`);
  } finally {
    release();
    await cleanup();
  }
}
