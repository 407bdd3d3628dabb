/**
 * Notifications: live streams and email with two Hearth processes on one PostgreSQL.
 *
 *   npm run bench -- notify              full run; rewrites its section of docs/benchmarks.md
 *   npm run bench -- notify --quick      fewer streams, samples and emails, for a quick look (no docs)
 *   npm run bench -- notify --cpu-prof   profiles both servers over the whole run and prints
 *                                        where their CPU went, by module and function (no docs)
 *   npm run bench -- notify --keep-db    keeps the database afterwards
 *   npm run bench -- notify --no-docs    leaves docs/benchmarks.md alone
 *
 * Two Hearth processes (A and B) run on a fresh PostgreSQL database; this process is the load
 * generator and the mail server. It holds the streams (half on each process, one member each,
 * raw `node:http` requests), measures the resident memory the streams add to the servers,
 * then times replies posted on one process until their notification arrives on the
 * recipient's stream held by the other. Last, it queues emails for members whose host token
 * carries an address, makes them due at once, and counts what its SMTP server receives:
 * how fast, and that every email arrives exactly once.
 */
import { mkdtempSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { startSmtp } from "../tests/helpers/smtp.ts";
import { commentBody } from "./lib/content.ts";
import { monotonicMicros, printProfiles } from "./lib/cpuprofile.ts";
import { type BenchDatabase, createBenchDatabase } from "./lib/database.ts";
import { guardRun } from "./lib/guard.ts";
import { HttpClient } from "./lib/http.ts";
import { memberName, signHostToken } from "./lib/members.ts";
import { machine, markdownTable, type Table, textTable, writeSection } from "./lib/report.ts";
import { checkOptions, inParallel, log, sleep } from "./lib/run.ts";
import { type BenchServer, readCpuMs, repoRoot, startServer } from "./lib/server.ts";
import { type HeldStream, openStream, type StreamEvent } from "./lib/sse.ts";
import { int, kb, mb, ms, type Summary, seededRandom, summarize } from "./lib/stats.ts";

export const description =
  "2,000 open streams on two processes: reply-to-stream latency, memory per stream, emails/s";

const HEADING = "## Notifications (`npm run bench -- notify`)";

const TARGETS = {
  latencyP95: 100,
  bytesPerStream: 20 * 1024,
  emailsPerSecond: 200,
};

/** Emails are queued this far ahead while they are being created, then made due at once. */
const QUEUE_DELAY_SECONDS = 3600;
const WARMUP_SAMPLES = 20;

interface Options {
  streams: number;
  samples: number;
  emails: number;
  /** How long the servers may idle, without and with the streams, until their memory settles. */
  idleMs: number;
  concurrency: number;
  writeDocs: boolean;
  cpuProf: boolean;
  keepDb: boolean;
  deadlineMs: number;
}

function parseOptions(args: string[]): Options {
  checkOptions(args, ["--quick", "--no-docs", "--cpu-prof", "--keep-db"]);
  const quick = args.includes("--quick");
  const cpuProf = args.includes("--cpu-prof");
  return {
    streams: quick ? 400 : 2_000,
    samples: quick ? 100 : 400,
    emails: quick ? 400 : 2_000,
    idleMs: 60_000,
    concurrency: 8,
    writeDocs: !quick && !cpuProf && !args.includes("--no-docs"),
    cpuProf,
    keepDb: args.includes("--keep-db"),
    deadlineMs: 20 * 60_000,
  };
}

interface Process {
  name: "A" | "B";
  server: BenchServer;
  client: HttpClient;
}

interface Member {
  index: number;
  token: string;
}

/** Signs in `count` members (`<prefix>-0`…), each through process A or B in turn. */
async function signIn(
  processes: Process[],
  prefix: string,
  count: number,
  concurrency: number,
  email?: (index: number) => string,
): Promise<Member[]> {
  const members: Member[] = new Array(count);
  await inParallel(count, concurrency, async (index) => {
    const token = await signHostToken(`${prefix}-${index}`, memberName(index), email?.(index));
    const { session } = await processes[index % 2]!.client.json<{ session: { token: string } }>(
      "POST",
      "/api/session",
      { body: { token } },
    );
    members[index] = { index, token: session.token };
  });
  return members;
}

/**
 * A realistic comment body without links: a member's first comments are screened, and a
 * few links in one would hold it for review, which would notify no one.
 */
function plainBody(random: () => number): string {
  return commentBody(random)
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\bhttps?:\/\/[^\s`]+/g, "our site");
}

interface Posted {
  id: string;
  status: string;
}

async function post(
  target: Process,
  member: Member,
  thread: string,
  body: string,
  parentId?: string,
): Promise<Posted> {
  const { comment } = await target.client.json<{ comment: Posted }>(
    "POST",
    `/api/threads/${encodeURIComponent(thread)}/comments`,
    { token: member.token, body: parentId === undefined ? { body } : { body, parentId } },
  );
  return comment;
}

/** Notifications that arrive on the streams, handed to whoever waits for that member's next one. */
class Arrivals {
  readonly #waiting = new Map<number, (event: StreamEvent) => void>();
  unexpected = 0;

  deliver(member: number, event: StreamEvent): void {
    if (event.event !== "notification") return;
    const waiter = this.#waiting.get(member);
    if (!waiter) {
      this.unexpected++;
      return;
    }
    this.#waiting.delete(member);
    waiter(event);
  }

  next(member: number, timeoutMs: number): Promise<StreamEvent | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(member);
        resolve(undefined);
      }, timeoutMs);
      this.#waiting.set(member, (event) => {
        clearTimeout(timer);
        resolve(event);
      });
    });
  }
}

interface Settled {
  rss: number;
  /** Whether the collector gave memory back while the process idled. */
  settled: boolean;
}

/**
 * The resident set of a process once it has been quiet for a while. After a full collection
 * that followed growth, V8's memory reducer collects again and gives memory back once the
 * process has been quiet for some seconds (15 to 30 s here); until then the resident set
 * holds garbage. Reads every half second for up to `ms`, stops 5 s after the resident set
 * has dropped, and returns the lowest reading.
 */
async function settledRss(server: BenchServer, ms: number): Promise<Settled> {
  const first = server.rss();
  let lowest = first;
  let droppedAt: number | undefined;
  for (const until = performance.now() + ms; performance.now() < until; ) {
    await sleep(500);
    lowest = Math.min(lowest, server.rss());
    if (droppedAt === undefined && lowest < first - 2 * 1024 * 1024) droppedAt = performance.now();
    if (droppedAt !== undefined && performance.now() - droppedAt > 5_000) break;
  }
  return { rss: lowest, settled: droppedAt !== undefined };
}

interface Phase {
  name: string;
  /** Microseconds of the monotonic clock, as in CPU profiles. */
  from: number;
  to: number;
  seconds: number;
  /** CPU each server used, in ms, in the same order as the servers. */
  serverCpuMs: number[];
  /** CPU this process (streams, mail server, requests) used, in ms. */
  benchCpuMs: number;
  /** CPU of the PostgreSQL backends serving the benchmark's database, in ms. */
  databaseCpuMs: number;
}

/** Stretches of the run: how long each took and the CPU each process spent in it. */
class Phases {
  readonly list: Phase[] = [];
  constructor(
    private readonly servers: BenchServer[],
    /** A connection to the benchmark's database; its own backend is left out. */
    private readonly sql: postgres.Sql,
  ) {}

  async #backends(): Promise<Map<number, number>> {
    const rows = await this.sql<{ pid: number }[]>`
      select pid from pg_stat_activity
      where datname = current_database() and pid <> pg_backend_pid()`;
    return new Map(rows.map(({ pid }) => [pid, readCpuMs(pid)]));
  }

  async start(name: string): Promise<() => Promise<Phase>> {
    const backends = await this.#backends();
    const from = monotonicMicros();
    const cpu = this.servers.map((server) => server.cpuMs());
    const bench = process.cpuUsage();
    return async () => {
      const to = monotonicMicros();
      const used = process.cpuUsage(bench);
      const serverCpuMs = this.servers.map((server, i) => server.cpuMs() - cpu[i]!);
      let databaseCpuMs = 0;
      for (const [pid, ms] of await this.#backends()) {
        const spent = ms - (backends.get(pid) ?? 0);
        if (Number.isFinite(spent)) databaseCpuMs += spent;
      }
      const phase: Phase = {
        name,
        from,
        to,
        seconds: (to - from) / 1e6,
        serverCpuMs,
        benchCpuMs: (used.user + used.system) / 1000,
        databaseCpuMs,
      };
      this.list.push(phase);
      return phase;
    };
  }
}

interface OpenResult {
  streams: HeldStream[];
  seconds: number;
  failed: number;
}

/** Opens one stream per member on its process (even members on A, odd on B). */
async function openStreams(
  processes: Process[],
  members: Member[],
  arrivals: Arrivals,
): Promise<OpenResult> {
  const streams: HeldStream[] = new Array(members.length);
  let failed = 0;
  const started = performance.now();
  await inParallel(members.length, 50, async (i) => {
    const member = members[i]!;
    const stream = openStream(processes[member.index % 2]!.server.url, {
      token: member.token,
      onEvent: (event) => arrivals.deliver(member.index, event),
    });
    streams[i] = stream;
    const status = await stream.ready.catch(() => 0);
    if (status !== 200) failed++;
  });
  return { streams, seconds: (performance.now() - started) / 1000, failed };
}

interface Sample {
  direction: "A → B" | "B → A";
  ms: number;
}

interface LatencyResult {
  samples: Sample[];
  lost: number;
  wrong: number;
  /** Events that arrived before the client had read the POST's response. */
  early: number;
}

interface LatencyPlan {
  /** Index into the stream members of whom receives. */
  recipient: number;
  replier: number;
  parentId: string;
  thread: string;
}

/**
 * Posts a parent comment by each recipient (on the process that will hold its stream), so a
 * reply to it notifies exactly that member. Sample `i` posts on A and listens on B when `i` is
 * even, the other way round when odd.
 */
async function planLatency(
  processes: Process[],
  members: Member[],
  count: number,
  offset: number,
  tag: string,
  concurrency: number,
): Promise<LatencyPlan[]> {
  const random = seededRandom(offset + 11);
  const plans: LatencyPlan[] = new Array(count);
  const bodies = Array.from({ length: count }, () => plainBody(random));
  await inParallel(count, concurrency, async (i) => {
    // Even members hold their stream on A, odd ones on B.
    const pair = offset + Math.floor(i / 2);
    const recipient = i % 2 === 0 ? 2 * pair + 1 : 2 * pair;
    const replier = (recipient + Math.floor(members.length / 2) + 1) % members.length;
    const thread = `bench/notify/${tag}-${i}`;
    const parent = await post(processes[recipient % 2]!, members[recipient]!, thread, bodies[i]!);
    if (parent.status !== "published") {
      throw new Error(
        `a parent comment came back ${parent.status}; the samples need published ones`,
      );
    }
    plans[i] = { recipient, replier, parentId: parent.id, thread };
  });
  return plans;
}

/** Posts each planned reply and waits for its notification on the recipient's stream. */
async function measureLatency(
  processes: Process[],
  members: Member[],
  plans: LatencyPlan[],
  arrivals: Arrivals,
): Promise<LatencyResult> {
  const random = seededRandom(plans.length);
  const result: LatencyResult = { samples: [], lost: 0, wrong: 0, early: 0 };
  for (const [i, plan] of plans.entries()) {
    const poster = processes[i % 2]!;
    const arrival = arrivals.next(plan.recipient, 10_000);
    const reply = await post(
      poster,
      members[plan.replier]!,
      plan.thread,
      plainBody(random),
      plan.parentId,
    );
    const answered = performance.now();
    if (reply.status !== "published") throw new Error(`a reply came back ${reply.status}`);
    const event = await arrival;
    if (!event) {
      result.lost++;
      continue;
    }
    const data = JSON.parse(event.data) as {
      notification: { kind: string; comment: { id: string } };
    };
    if (data.notification.kind !== "reply" || data.notification.comment.id !== reply.id) {
      result.wrong++;
      continue;
    }
    if (event.at < answered) result.early++;
    result.samples.push({
      direction: poster.name === "A" ? "A → B" : "B → A",
      ms: Math.max(0, event.at - answered),
    });
  }
  return result;
}

interface EmailResult {
  /** Reply notifications created for members with an email address. */
  expected: number;
  /** Comments screening held, each of which left one member without a reply and an email. */
  held: number;
  queued: number;
  received: number;
  uniqueIds: number;
  recipients: number;
  /** First to last message, seconds. */
  spanSeconds: number;
  perSecond: number;
  /** From making them due to the last message, seconds. */
  dueToLastSeconds: number;
  createSeconds: number;
  /** CPU both servers used while sending, ms. */
  serverCpuMs: number;
  /** CPU this process (the SMTP server, mostly) used while they were sent, ms. */
  benchCpuMs: number;
  /** CPU of the database's PostgreSQL backends while they were sent, ms. */
  databaseCpuMs: number;
  statuses: Record<string, number>;
}

async function countRows(sql: postgres.Sql, query: string): Promise<number> {
  const [row] = await sql.unsafe<{ n: number }[]>(query);
  return Number(row?.n ?? 0);
}

/**
 * Creates one reply notification with an email for each of `count` members (delayed by
 * `QUEUE_DELAY_SECONDS`), waits until every email is queued, makes them all due, and counts
 * what the SMTP server receives while both processes send.
 */
async function measureEmails(
  processes: Process[],
  repliers: Member[],
  smtp: MailLog,
  databaseUrl: string,
  options: Options,
  phases: Phases,
): Promise<EmailResult> {
  const count = options.emails;
  const addressOf = (i: number) => `reader-${i}@mail.example.org`;
  log(`emails: signing in ${int(count)} members with an email address`);
  const readers = await signIn(processes, "bench-mail", count, options.concurrency, addressOf);
  const random = seededRandom(4242);
  const bodies = Array.from({ length: count * 2 }, () => plainBody(random));
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    log(`emails: ${int(count)} parent comments and ${int(count)} replies`);
    const held: string[] = [];
    const createStarted = performance.now();
    await inParallel(count, options.concurrency, async (i) => {
      const thread = `bench/notify/mail-${i}`;
      const parent = await post(processes[i % 2]!, readers[i]!, thread, bodies[2 * i]!);
      if (parent.status !== "published") {
        // Screening held it (as it held the reply below, if so): no reply notification, no email.
        const [row] = await sql<{ details: unknown }[]>`
          select details from moderation_queue where comment_id = ${Number(parent.id)}`;
        held.push(JSON.stringify(row?.details ?? parent.status));
        return;
      }
      const replier = repliers[i % repliers.length]!;
      const reply = await post(
        processes[(i + 1) % 2]!,
        replier,
        thread,
        bodies[2 * i + 1]!,
        parent.id,
      );
      if (reply.status !== "published") {
        const [row] = await sql<{ details: unknown }[]>`
          select details from moderation_queue where comment_id = ${Number(reply.id)}`;
        held.push(JSON.stringify(row?.details ?? reply.status));
      }
    });
    const createSeconds = (performance.now() - createStarted) / 1000;
    for (const reason of held) log(`emails: screening held a comment: ${reason}`);
    const expected = count - held.length;

    const until = Date.now() + 120_000;
    let queued = 0;
    for (;;) {
      const pendingEvents = await countRows(
        sql,
        "select count(*)::int as n from events where dispatched_at is null",
      );
      queued = await countRows(
        sql,
        "select count(*)::int as n from deliveries where kind = 'email' and status = 'pending'",
      );
      if (pendingEvents === 0 && queued >= expected) break;
      if (Date.now() > until) break;
      await sleep(200);
    }
    log(`emails: ${int(queued)} queued; making them due`);
    smtp.reset();
    const sending = await phases.start("sending emails");
    const dueAt = performance.now();
    await sql.unsafe(
      "update deliveries set next_attempt_at = now() where kind = 'email' and status = 'pending'",
    );
    const deadline = Date.now() + Math.max(60_000, count * 50);
    while (smtp.received.length < queued && Date.now() < deadline) await sleep(50);
    const sent = await sending();
    // Anything sent twice would arrive shortly after the rest.
    await sleep(3_000);
    const rows = await sql<{ status: string; n: number }[]>`
      select status, count(*)::int as n from deliveries where kind = 'email' group by status`;
    const received = smtp.received;
    const first = received[0]?.at ?? Number.NaN;
    const last = received.at(-1)?.at ?? Number.NaN;
    const span = (last - first) / 1000;
    return {
      expected,
      held: held.length,
      queued,
      received: received.length,
      uniqueIds: new Set(received.map((m) => m.messageId)).size,
      recipients: new Set(received.map((m) => m.to)).size,
      spanSeconds: span,
      perSecond: received.length > 1 ? (received.length - 1) / span : Number.NaN,
      dueToLastSeconds: (last - dueAt) / 1000,
      createSeconds,
      serverCpuMs: sent.serverCpuMs.reduce((a, b) => a + b, 0),
      benchCpuMs: sent.benchCpuMs,
      databaseCpuMs: sent.databaseCpuMs,
      statuses: Object.fromEntries(rows.map((r) => [r.status, r.n])),
    };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

interface MailLog {
  url: string;
  received: { at: number; messageId: string; to: string }[];
  reset(): void;
  close(): Promise<void>;
}

/** The in-process SMTP server: records when each message arrived, its Message-ID and To. */
async function startMailLog(): Promise<MailLog> {
  const received: MailLog["received"] = [];
  const smtp = await startSmtp({
    parse: false,
    onMessage(raw) {
      const head = raw.subarray(0, Math.min(raw.length, 4096)).toString("utf8");
      received.push({
        at: performance.now(),
        messageId: /^Message-ID:\s*(<[^>]+>)/im.exec(head)?.[1] ?? "",
        to: /^To:.*?<?([^\s<>]+@[^\s<>]+)>?\s*$/im.exec(head)?.[1] ?? "",
      });
    },
  });
  return {
    url: smtp.url,
    received,
    reset: () => {
      received.length = 0;
    },
    close: () => smtp.close(),
  };
}

interface Results {
  date: string;
  loadBefore: number[];
  loadAfter: number[];
  postgresVersion: string;
  streams: number;
  open: { seconds: number; failed: number };
  rss: {
    name: string;
    before: number;
    after: number;
    /** Whether the collector gave memory back in both idle windows. */
    settled: boolean;
    streams: number;
  }[];
  heartbeats: number;
  closedEarly: number;
  latency: LatencyResult;
  unexpected: number;
  email: EmailResult;
  phases: Phase[];
}

function phaseTable(results: Results): Table {
  const share = (cpu: number, seconds: number) =>
    `${(cpu / 1000).toFixed(1)} s (${Math.round((cpu / 1000 / seconds) * 100)}%)`;
  return {
    headers: ["Phase", "Wall time", "CPU of A", "CPU of B", "PostgreSQL", "Load generator"],
    align: ["l", "r", "r", "r", "r", "r"],
    rows: results.phases.map((phase) => [
      phase.name,
      `${phase.seconds.toFixed(1)} s`,
      share(phase.serverCpuMs[0]!, phase.seconds),
      share(phase.serverCpuMs[1]!, phase.seconds),
      share(phase.databaseCpuMs, phase.seconds),
      share(phase.benchCpuMs, phase.seconds),
    ]),
  };
}

function latencyRows(latency: LatencyResult): string[][] {
  const row = (label: string, summary: Summary) => [
    label,
    int(summary.count),
    ms(summary.p50),
    ms(summary.p95),
    ms(summary.p99),
    ms(summary.max),
  ];
  return [
    row(
      "A → B",
      summarize(latency.samples.filter((s) => s.direction === "A → B").map((s) => s.ms)),
    ),
    row(
      "B → A",
      summarize(latency.samples.filter((s) => s.direction === "B → A").map((s) => s.ms)),
    ),
    row("both", summarize(latency.samples.map((s) => s.ms))),
  ];
}

function latencyTable(results: Results): Table {
  return {
    headers: ["Posted on → stream on", "Samples", "p50", "p95", "p99", "max"],
    align: ["l", "r", "r", "r", "r", "r"],
    rows: latencyRows(results.latency),
  };
}

function perStream(results: Results): number {
  const added = results.rss.reduce((sum, p) => sum + (p.after - p.before), 0);
  return added / results.streams;
}

function memoryTable(results: Results): Table {
  return {
    headers: [
      "Process",
      "Streams",
      "RSS without streams",
      "RSS with streams",
      "Added per stream",
      "Settled",
    ],
    align: ["l", "r", "r", "r", "r", "l"],
    rows: [
      ...results.rss.map((p) => [
        p.name,
        int(p.streams),
        mb(p.before),
        mb(p.after),
        kb(Math.round((p.after - p.before) / p.streams)),
        p.settled ? "yes" : "no",
      ]),
      [
        "both",
        int(results.streams),
        mb(results.rss.reduce((s, p) => s + p.before, 0)),
        mb(results.rss.reduce((s, p) => s + p.after, 0)),
        kb(Math.round(perStream(results))),
        results.rss.every((p) => p.settled) ? "yes" : "no",
      ],
    ],
  };
}

function emailTable(results: Results): Table {
  const e = results.email;
  const statuses = Object.entries(e.statuses)
    .map(([status, n]) => `${int(n)} ${status}`)
    .join(", ");
  return {
    headers: ["Figure", "Value"],
    rows: [
      [
        "Emails queued (one per reply notification)",
        `${int(e.queued)} of ${int(e.expected)}${e.held ? ` (screening held ${int(e.held)} of the comments)` : ""}`,
      ],
      ["Messages received by the SMTP server", int(e.received)],
      ["Distinct Message-IDs / distinct recipients", `${int(e.uniqueIds)} / ${int(e.recipients)}`],
      [
        "Sent twice / never sent",
        `${int(e.received - e.uniqueIds)} / ${int(e.expected - e.uniqueIds)}`,
      ],
      ["Deliveries afterwards", statuses || "none"],
      ["First to last message", `${e.spanSeconds.toFixed(2)} s`],
      ["Emails per second (first to last)", int(e.perSecond)],
      ["Made due to last message", `${e.dueToLastSeconds.toFixed(2)} s`],
      ["Creating them (parent + reply per member, 8 at a time)", `${e.createSeconds.toFixed(1)} s`],
    ],
  };
}

function targetTable(results: Results): Table {
  const all = summarize(results.latency.samples.map((s) => s.ms));
  const mark = (ok: boolean) => (ok ? "met" : "not met");
  const e = results.email;
  const exact = e.queued === e.expected && e.received === e.expected && e.uniqueIds === e.expected;
  return {
    headers: ["Target", "Measured", "Result"],
    rows: [
      [
        `Reply to stream p95 ≤ ${TARGETS.latencyP95} ms`,
        `${ms(all.p95)} (p50 ${ms(all.p50)}; ${int(results.latency.lost)} lost)`,
        mark(all.p95 <= TARGETS.latencyP95 && results.latency.lost === 0),
      ],
      [
        `Memory per idle stream ≤ ${TARGETS.bytesPerStream / 1024} KB`,
        kb(Math.round(perStream(results))),
        mark(perStream(results) <= TARGETS.bytesPerStream),
      ],
      [
        `≥ ${TARGETS.emailsPerSecond} emails/s`,
        `${int(e.perSecond)}/s, ${int(e.received)} of ${int(e.expected)} received${exact ? ", each once" : ""}`,
        mark(e.perSecond >= TARGETS.emailsPerSecond && exact),
      ],
    ],
  };
}

function printResults(results: Results) {
  console.log("\nTargets");
  console.log(textTable(targetTable(results)));
  console.log("\nReply to stream");
  console.log(textTable(latencyTable(results)));
  console.log(
    `lost ${results.latency.lost}, wrong ${results.latency.wrong}, early ${results.latency.early}, unexpected ${results.unexpected}`,
  );
  console.log("\nMemory");
  console.log(textTable(memoryTable(results)));
  console.log(
    `opened ${int(results.streams)} streams in ${results.open.seconds.toFixed(1)} s (${results.open.failed} failed); heartbeats ${int(results.heartbeats)}; closed early ${results.closedEarly}`,
  );
  console.log("\nEmail");
  console.log(textTable(emailTable(results)));
  console.log("\nWhere the CPU went (percentages of one core)");
  console.log(textTable(phaseTable(results)));
}

function loadText(results: Results): string {
  const cores = os.cpus().length;
  const [before, after] = [results.loadBefore[0]!, results.loadAfter[0]!];
  const busy = Math.max(before, after) > cores * 0.75;
  return `One-minute load average ${before.toFixed(2)} before the run and ${after.toFixed(2)} after it${
    busy
      ? `: other work was running on the same ${cores} cores, so these figures are indicative only`
      : ""
  }.`;
}

function docsSection(results: Results, options: Options): string {
  const { latency, email } = results;
  const idle = options.idleMs / 1000;
  return `
<!-- Written by bench/notify.ts; run the command again to refresh this section. -->

Measured ${results.date} on ${machine()}; Node ${process.versions.node}, PostgreSQL ${results.postgresVersion} on the same machine. ${loadText(results)}
Command: \`npm run bench -- notify\`.

Two Hearth processes, A and B (the compiled \`node dist/server/main.js\`, \`NODE_ENV=production\`, per-member rate limit off, logging off), share a fresh PostgreSQL database. The load generator is one more Node process on the same machine and also runs the SMTP server (\`smtp-server\`), so all of them compete for the same ${os.cpus().length} cores. ${int(results.streams)} members sign in and each holds one notification stream (\`GET /api/notifications/stream\` with \`Authorization: Bearer\`, a raw \`node:http\` request on a connection of its own): even members on A, odd ones on B.

### Targets

${markdownTable(targetTable(results))}

### Reply to stream

${int(options.samples)} times, one after the other, a member posts a reply (\`POST /api/threads/:key/comments\`) on one process to a comment whose author holds a stream on the other. Latency runs from the moment the client has read the POST's 201 to the moment the \`notification\` event naming that reply arrives on the recipient's stream. Each reply is in a thread of its own, so it notifies exactly one member. On the way, the POST commits the comment and its event; the event dispatcher of either process claims the event, writes the notification and a \`NOTIFY\`; PostgreSQL hands that to the \`LISTEN\` connection of each process, and the one holding the stream writes the event to it. ${WARMUP_SAMPLES} unmeasured replies come first.

${markdownTable(latencyTable(results))}

Lost (no event within 10 s): ${int(latency.lost)}; a different notification than expected: ${int(latency.wrong)}; events read before the POST's response (counted as 0 ms): ${int(latency.early)}. Notifications that reached a stream no sample was waiting on: ${int(results.unexpected)}.

### Memory per idle stream

Memory is read on fresh processes, so that what signing in and posting left in their heaps does not make room for the streams. Both processes are restarted, warmed up (${WARMUP_SAMPLES} replies to streams opened and closed for the purpose), and left idle; then restarted again, warmed up the same way, and then the ${int(results.streams)} streams opened. Each time the resident set size (VmRSS from /proc) is read every half second while the processes idle, and the lowest reading counts. Read at once, it swings by tens of megabytes with garbage not yet collected and with the young generation, which V8 grows under load and hands back when a process goes quiet: after the full collections that come with a process's start, V8's memory reducer collects again once the process has been idle for a while (15 to 30 s here) and returns what it no longer needs. Each window lasts until the resident set has dropped, and 5 s more, or ${idle} s at most; "Settled" says whether it dropped in both (unsettled, the figure overstates what a stream costs). The two readings come from different starts of a process, whose settled size varies by a few megabytes from one start to the next: some 3 KB a stream either way with 1,000 streams a process, much more in a \`--quick\` run. The streams opened in ${results.open.seconds.toFixed(1)} s, 50 at a time; ${int(results.open.failed)} failed and ${int(results.closedEarly)} closed early; ${int(results.heartbeats)} heartbeats (one per stream every 15 s) reached the client over the run.

${markdownTable(memoryTable(results))}

### Email

${int(options.emails)} more members sign in with an email address in their host token; each posts a comment in a thread of its own and a stream member replies to it, alternately on A and B, so each gets one reply notification with an email queued (replies are emailed immediately by default). While they are created, both processes run with \`HEARTH_EMAIL_DELAY=${QUEUE_DELAY_SECONDS}\`, so nothing is sent yet. Once every email is queued, the benchmark makes them all due at once (\`update deliveries set next_attempt_at = now()\`, as if the delay had passed) and both processes' delivery workers claim and send them, the next time they look (at most a second later): batches of 50 claimed with \`FOR UPDATE SKIP LOCKED\`, 10 sends at a time per process over a pool of 5 SMTP connections. The SMTP server accepts every message. A Message-ID is derived from the delivery, so an email sent twice would show as a repeated Message-ID; afterwards the deliveries table says what each process recorded.

${markdownTable(emailTable(results))}

### Where the CPU went

User and system time (from /proc) during each phase, as a share of one core, of each server process, of the PostgreSQL backends serving the benchmark's database, and of the load generator (its streams, requests and the SMTP server). CPU time, unlike wall time, does not grow when other work takes the cores away, so it says what the work costs on a shared machine.

${markdownTable(phaseTable(results))}

${
  email.serverCpuMs > 0
    ? `While sending, the two servers used ${(email.serverCpuMs / email.received).toFixed(1)} ms of CPU per email between them, PostgreSQL ${(email.databaseCpuMs / email.received).toFixed(1)} ms and the SMTP server ${(email.benchCpuMs / email.received).toFixed(1)} ms.`
    : ""
}
`;
}

export async function run(args: string[]): Promise<void> {
  const options = parseOptions(args);
  let database: BenchDatabase | undefined;
  const processes: Process[] = [];
  let mail: MailLog | undefined;
  let streams: HeldStream[] = [];
  let meter: postgres.Sql | undefined;
  let cleaning: Promise<void> | undefined;
  const cleanup = () => {
    cleaning ??= (async () => {
      for (const stream of streams) stream?.close();
      for (const p of processes) p.client.close();
      await Promise.all(processes.map((p) => p.server.stop().catch(() => {})));
      await mail?.close().catch(() => {});
      await meter?.end({ timeout: 5 }).catch(() => {});
      if (database && !options.keepDb) {
        await database.drop().catch((error: Error) => {
          console.error(`Could not drop the database ${database?.name}: ${error.message}`);
        });
      }
    })();
    return cleaning;
  };
  const release = guardRun(cleanup, options.deadlineMs, "the servers");

  try {
    const loadBefore = os.loadavg();
    database = await createBenchDatabase("notify");
    log(`database ${database.name} (PostgreSQL ${database.version})`);
    mail = await startMailLog();
    const profileDir = options.cpuProf
      ? mkdtempSync(join(os.tmpdir(), "hearth-notify-profile-"))
      : undefined;
    const databaseUrl = database.url;
    const mailUrl = mail.url;
    const startProcesses = async () => {
      for (const p of processes.splice(0)) {
        p.client.close();
        await p.server.stop();
      }
      for (const name of ["A", "B"] as const) {
        const server = await startServer({
          databaseUrl,
          env: { HEARTH_SMTP_URL: mailUrl, HEARTH_EMAIL_DELAY: String(QUEUE_DELAY_SECONDS) },
          nodeArgs: profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [],
        });
        processes.push({ name, server, client: new HttpClient(server.url, 64) });
        log(`process ${name}: pid ${server.pid} at ${server.url}`);
      }
    };
    await startProcesses();

    log(`signing in ${int(options.streams)} members`);
    const members = await signIn(processes, "bench-stream", options.streams, options.concurrency);
    log(`posting ${int(options.samples + 2 * WARMUP_SAMPLES)} parent comments`);
    const plan = (count: number, firstPair: number, tag: string) =>
      planLatency(processes, members, count, firstPair, tag, options.concurrency);
    const warmPlans = [
      await plan(WARMUP_SAMPLES, 0, "warm-1"),
      await plan(WARMUP_SAMPLES, WARMUP_SAMPLES / 2, "warm-2"),
    ];
    const plans = await plan(options.samples, WARMUP_SAMPLES, "sample");
    const arrivals = new Arrivals();
    /** Opens the recipients' streams, sends the replies, and closes the streams again. */
    const warmUp = async (warmPlan: LatencyPlan[]) => {
      const recipients = warmPlan.map((p) => members[p.recipient]!);
      const warm = await openStreams(processes, recipients, arrivals);
      await measureLatency(processes, members, warmPlan, arrivals);
      for (const stream of warm.streams) stream.close();
      await Promise.all(warm.streams.map((s) => s.closed));
    };
    const settle = async (what: string) => {
      log(`idling until memory settles (at most ${options.idleMs / 1000} s)`);
      const settled = await Promise.all(processes.map((p) => settledRss(p.server, options.idleMs)));
      log(
        `${what}: ${settled.map((b) => `${mb(b.rss)}${b.settled ? "" : " (not settled)"}`).join(", ")}`,
      );
      return settled;
    };

    // Memory is read on fresh processes, once without the streams and once with them, each
    // time after the collector has given back what the start left over (see the report).
    log("restarting both processes to read their memory without streams");
    await startProcesses();
    await warmUp(warmPlans[0]!);
    const before = await settle("without streams");
    log("restarting both processes for the streams");
    await startProcesses();
    meter = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    const phases = new Phases(
      processes.map((p) => p.server),
      meter,
    );
    await warmUp(warmPlans[1]!);

    log(`opening ${int(options.streams)} streams`);
    const opening = await phases.start("opening streams");
    const opened = await openStreams(processes, members, arrivals);
    await opening();
    streams = opened.streams;
    log(`opened in ${opened.seconds.toFixed(1)} s (${opened.failed} failed)`);
    if (opened.failed > 0) throw new Error(`${opened.failed} streams did not open`);
    let closedEarly = 0;
    for (const stream of streams) void stream.closed.then(() => closedEarly++);

    const idling = await phases.start("idle streams");
    const after = await settle(`with ${int(options.streams)} streams`);
    await idling();
    const rss = processes.map((p, i) => ({
      name: p.name,
      before: before[i]!.rss,
      after: after[i]!.rss,
      settled: before[i]!.settled && after[i]!.settled,
      streams: Math.ceil((options.streams - i) / 2),
    }));

    log(`timing ${int(options.samples)} replies from one process to a stream on the other`);
    const timing = await phases.start("replies to streams");
    const latency = await measureLatency(processes, members, plans, arrivals);
    await timing();

    const email = await measureEmails(processes, members, mail, database.url, options, phases);
    const heartbeats = streams.reduce((sum, s) => sum + s.heartbeats, 0);
    const stillOpen = closedEarly;

    for (const stream of streams) stream.close();
    for (const p of processes) p.client.close();
    await Promise.all(processes.map((p) => p.server.stop()));
    if (profileDir) {
      printProfiles(
        profileDir,
        repoRoot,
        25,
        Object.fromEntries(phases.list.map((phase) => [phase.name, phase])),
      );
    }

    const results: Results = {
      date: new Date().toISOString().slice(0, 10),
      loadBefore,
      loadAfter: os.loadavg(),
      postgresVersion: database.version,
      streams: options.streams,
      open: { seconds: opened.seconds, failed: opened.failed },
      rss,
      heartbeats,
      closedEarly: stillOpen,
      latency,
      unexpected: arrivals.unexpected,
      email,
      phases: phases.list,
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
