/**
 * Federation: fan-out of comments to a thousand followers, and inbound replies.
 *
 *   npm run bench -- federation              full run; rewrites its section of docs/benchmarks.md
 *   npm run bench -- federation --quick      fewer followers and replies, for a quick look (no docs)
 *   npm run bench -- federation --inbound    the inbound replies only: as many followers as
 *                                            replies need and one comment to reply to (no docs);
 *                                            with --quick, fewer replies too
 *   npm run bench -- federation --cpu-prof   profiles the server over the whole run and prints
 *                                            where its CPU went (no docs)
 *   npm run bench -- federation --keep-db    keeps the database afterwards
 *   npm run bench -- federation --no-docs    leaves docs/benchmarks.md alone
 *
 * Hearth runs as its own process with federation on (`HEARTH_FEDERATION_ALLOW_PRIVATE=1`, so
 * it talks to loopback addresses) on a fresh PostgreSQL database. This process plays the
 * rest of the Fediverse with one local stub server (bench/lib/fediverse-stub.ts): its
 * actors follow the community with real signed Follow activities (half of them behind one
 * shared inbox), a member's comments in a federated public thread fan out to them, and
 * signed Create(Note) replies come back, one after another and then in a burst.
 */
import { mkdtempSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { marked } from "marked";
import postgres from "postgres";
import { commentBody } from "./lib/content.ts";
import { CpuMeter, type CpuUsed } from "./lib/cpu-meter.ts";
import { monotonicMicros, type ProfileWindow, printProfiles } from "./lib/cpuprofile.ts";
import { type BenchDatabase, createBenchDatabase } from "./lib/database.ts";
import { type Delivery, FediverseStub, type StubActor } from "./lib/fediverse-stub.ts";
import { guardRun } from "./lib/guard.ts";
import { HttpClient } from "./lib/http.ts";
import { openSessions } from "./lib/members.ts";
import { machine, markdownTable, type Table, textTable, writeSection } from "./lib/report.ts";
import { checkOptions, inParallel, log, sleep } from "./lib/run.ts";
import { type BenchServer, repoRoot, startServer } from "./lib/server.ts";
import { int, mb, ms, type Summary, seededRandom, summarize } from "./lib/stats.ts";

export const description =
  "fan-out of one comment to 1,000 follower inboxes; verifying and storing inbound replies";

const HEADING = "## Federation (`npm run bench -- federation`)";
const API_KEY = "bench-api-key-0123456789abcdef";
const THREAD_KEY = "bench/federation/public-article";
const TARGETS = { deliveriesPerSecond: 200, replyP95: 20 };

interface Options {
  followers: number;
  behindShared: number;
  followConcurrency: number;
  fanouts: number;
  warmupReplies: number;
  replies: number;
  burst: number;
  burstConcurrency: number;
  /** Only what the inbound replies need: their senders as followers, one comment. */
  inboundOnly: boolean;
  writeDocs: boolean;
  cpuProf: boolean;
  keepDb: boolean;
  /** How long to wait for one fan-out to arrive in full. */
  deliveryTimeoutMs: number;
  deadlineMs: number;
}

function parseOptions(args: string[]): Options {
  checkOptions(args, ["--quick", "--inbound", "--no-docs", "--cpu-prof", "--keep-db"]);
  const quick = args.includes("--quick");
  const inboundOnly = args.includes("--inbound");
  const cpuProf = args.includes("--cpu-prof");
  const warmupReplies = 10;
  const replies = quick ? 60 : 300;
  const burst = quick ? 50 : 200;
  // Each reply comes from a follower who has not replied before.
  const needed = warmupReplies + replies + burst;
  const followers = inboundOnly ? needed + (needed % 2) : quick ? 200 : 1000;
  return {
    followers,
    behindShared: followers / 2,
    followConcurrency: 8,
    fanouts: quick || inboundOnly ? 1 : 3,
    warmupReplies,
    replies,
    burst,
    burstConcurrency: 8,
    inboundOnly,
    writeDocs: !quick && !inboundOnly && !cpuProf && !args.includes("--no-docs"),
    cpuProf,
    keepDb: args.includes("--keep-db"),
    deliveryTimeoutMs: 180_000,
    deadlineMs: 20 * 60_000,
  };
}

interface FollowResult {
  followers: number;
  seconds: number;
  /** Client-side latency of the signed Follow POSTs (until 202). */
  latency: Summary;
  /** Until every follower had its Accept. */
  acceptedSeconds: number;
  acceptsArrived: number;
  /** CPU per follow (server and database), Accept delivery included. */
  cpuPerFollow: CpuUsed;
}

/** Every stub actor follows the community's Group with a signed Follow. */
async function follow(
  stub: FediverseStub,
  meter: CpuMeter,
  groupIri: string,
  options: Options,
): Promise<FollowResult> {
  log(
    `${int(stub.actors.length)} actors follow the community (${options.followConcurrency} at a time)`,
  );
  const samples: number[] = [];
  const started = performance.now();
  const cpuBefore = await meter.mark();
  await inParallel(stub.actors.length, options.followConcurrency, async (index) => {
    const actor = stub.actors[index]!;
    const res = await stub.send(actor, `${groupIri}/inbox`, {
      id: `${actor.id}/follows/community`,
      type: "Follow",
      actor: actor.id,
      object: groupIri,
    });
    if (res.status !== 202)
      throw new Error(`Follow answered ${res.status}: ${res.text.slice(0, 200)}`);
    samples.push(res.ms);
  });
  const seconds = (performance.now() - started) / 1000;
  const isAccept = (delivery: Delivery) => delivery.type === "Accept";
  await stub.waitFor(isAccept, stub.actors.length, options.deliveryTimeoutMs);
  const acceptsArrived = stub.matching(isAccept).length;
  return {
    followers: stub.actors.length,
    seconds,
    latency: summarize(samples),
    acceptedSeconds: (performance.now() - started) / 1000,
    acceptsArrived,
    cpuPerFollow: per(await meter.since(cpuBefore), stub.actors.length),
  };
}

const per = (used: CpuUsed, count: number): CpuUsed => ({
  server: used.server / count,
  database: used.database / count,
});

const cpuText = (used: CpuUsed) =>
  Number.isFinite(used.server) ? `${ms(used.server)} + ${ms(used.database)}` : "";

interface FanoutResult {
  what: string;
  /** POSTs expected: one per personal inbox plus one for the shared inbox. */
  expected: number;
  arrived: number;
  unsigned: number;
  /** From the request that caused it (the comment's POST, the thread's PUT). */
  firstMs: number;
  lastMs: number;
  /** Deliveries per second from the request until the last delivery. */
  perSecond: number;
  /** The same over the delivery window alone (first to last delivery). */
  windowPerSecond: number;
  requestMs: number;
  /** CPU (server and database) from the request until the last delivery, per delivery. */
  cpuPerDelivery: CpuUsed;
  /** Cores the server process kept busy on average over that time. */
  serverCores: number;
}

function fanoutResult(
  what: string,
  deliveries: Delivery[],
  expected: number,
  started: number,
  requestMs: number,
  cpu: CpuUsed | undefined,
): FanoutResult {
  const times = deliveries.map((delivery) => delivery.at).sort((a, b) => a - b);
  const first = times[0] ?? Number.NaN;
  const last = times.at(-1) ?? Number.NaN;
  return {
    what,
    expected,
    arrived: deliveries.length,
    unsigned: deliveries.filter((delivery) => !delivery.signed).length,
    firstMs: first - started,
    lastMs: last - started,
    perSecond: deliveries.length / ((last - started) / 1000),
    windowPerSecond:
      deliveries.length > 1 ? (deliveries.length - 1) / ((last - first) / 1000) : Number.NaN,
    requestMs,
    cpuPerDelivery: cpu
      ? per(cpu, deliveries.length)
      : { server: Number.NaN, database: Number.NaN },
    serverCores: cpu ? cpu.server / (last - started) : Number.NaN,
  };
}

interface ReplyResult {
  /** Until Hearth answered 202: signature verified, activity stored. */
  accepted: Summary;
  /** Until the comment row was there (polled from this process, about every millisecond). */
  stored: Summary;
  held: number;
  published: number;
  /** CPU per reply (server and database), one at a time. */
  cpuPerReply: CpuUsed;
}

interface BurstResult {
  replies: number;
  concurrency: number;
  accepted: Summary;
  seconds: number;
  perSecond: number;
}

class Replies {
  #next = 0;
  readonly #random = seededRandom(6);

  constructor(
    private readonly stub: FediverseStub,
    private readonly inbox: string,
    private readonly sql: postgres.Sql,
    readonly target: string,
  ) {}

  /** A new actor (each reply comes from someone who has not replied before). */
  #actor(): StubActor {
    const actor = this.stub.actors[this.#next++];
    if (!actor) throw new Error("more replies than stub actors");
    return actor;
  }

  async send(): Promise<{ noteId: string; ms: number; started: number }> {
    const actor = this.#actor();
    const noteId = `${actor.id}/statuses/${this.#next}`;
    const html = await marked.parse(commentBody(this.#random));
    const started = performance.now();
    const res = await this.stub.send(actor, this.inbox, {
      id: `${noteId}/activity`,
      type: "Create",
      actor: actor.id,
      to: ["https://www.w3.org/ns/activitystreams#Public"],
      object: {
        id: noteId,
        type: "Note",
        attributedTo: actor.id,
        content: html,
        inReplyTo: this.target,
        to: ["https://www.w3.org/ns/activitystreams#Public"],
        published: new Date().toISOString(),
      },
    });
    if (res.status !== 202)
      throw new Error(`Create answered ${res.status}: ${res.text.slice(0, 200)}`);
    return { noteId, ms: res.ms, started };
  }

  /** Milliseconds from `started` until the Note is a comment. */
  async stored(noteId: string, started: number, timeoutMs = 30_000): Promise<number> {
    for (;;) {
      const rows = await this.sql`select 1 from federation_objects where iri = ${noteId}`;
      const now = performance.now();
      if (rows.length > 0) return now - started;
      if (now - started > timeoutMs) throw new Error(`reply ${noteId} was not stored`);
      await sleep(1);
    }
  }

  async sequential(count: number): Promise<{ accepted: number[]; stored: number[] }> {
    const accepted: number[] = [];
    const stored: number[] = [];
    for (let i = 0; i < count; i++) {
      const sent = await this.send();
      accepted.push(sent.ms);
      stored.push(await this.stored(sent.noteId, sent.started));
    }
    return { accepted, stored };
  }

  async burst(count: number, concurrency: number): Promise<BurstResult> {
    const accepted: number[] = [];
    const ids: string[] = [];
    const started = performance.now();
    await inParallel(count, concurrency, async () => {
      const sent = await this.send();
      accepted.push(sent.ms);
      ids.push(sent.noteId);
    });
    for (;;) {
      const [row] = await this.sql<{ count: number }[]>`
        select count(*)::int as count from federation_objects where iri = any(${ids})`;
      if ((row?.count ?? 0) >= ids.length) break;
      if (performance.now() - started > 120_000) throw new Error("the burst was not stored");
      await sleep(5);
    }
    const seconds = (performance.now() - started) / 1000;
    return {
      replies: count,
      concurrency,
      accepted: summarize(accepted),
      seconds,
      perSecond: count / seconds,
    };
  }
}

interface Results {
  date: string;
  loadBefore: number;
  loadAfter: number;
  postgresVersion: string;
  follow: FollowResult;
  actorFetches: number;
  fanouts: FanoutResult[];
  replies: ReplyResult;
  burst: BurstResult;
  rssAtStart: number;
  rssPeak: number;
}

function fanoutTable(results: Results): Table {
  return {
    headers: [
      "Activity",
      "POSTs",
      "Request",
      "First delivery",
      "All delivered",
      "Deliveries/s",
      "Deliveries/s (window)",
      "CPU per POST (server + database)",
      "Server cores busy",
    ],
    align: ["l", "r", "r", "r", "r", "r", "r", "r", "r"],
    rows: results.fanouts.map((fanout) => [
      fanout.what,
      `${int(fanout.arrived)} of ${int(fanout.expected)}${fanout.unsigned ? ` (${fanout.unsigned} unsigned)` : ""}`,
      ms(fanout.requestMs),
      ms(fanout.firstMs),
      ms(fanout.lastMs),
      int(fanout.perSecond),
      int(fanout.windowPerSecond),
      cpuText(fanout.cpuPerDelivery),
      Number.isFinite(fanout.serverCores) ? fanout.serverCores.toFixed(2) : "",
    ]),
  };
}

function replyTable(results: Results): Table {
  const { replies, burst } = results;
  const row = (what: string, s: Summary) => [
    what,
    int(s.count),
    ms(s.p50),
    ms(s.p95),
    ms(s.p99),
    ms(s.max),
  ];
  return {
    headers: ["Inbound Create(Note) reply", "Replies", "p50", "p95", "p99", "max"],
    align: ["l", "r", "r", "r", "r", "r"],
    rows: [
      row("one at a time: signed POST until 202 (verified, stored)", replies.accepted),
      row("one at a time: signed POST until the comment is stored", replies.stored),
      row(
        `burst of ${burst.replies}, ${burst.concurrency} at a time: POST until 202`,
        burst.accepted,
      ),
    ],
  };
}

function otherTable(results: Results): Table {
  const { follow, burst } = results;
  return {
    headers: ["Figure", "Value"],
    rows: [
      [
        "Follows (signed Follow POSTs, 8 at a time)",
        `${int(follow.followers)} in ${follow.seconds.toFixed(1)} s (${int(follow.followers / follow.seconds)}/s), p50 ${ms(follow.latency.p50)}, p95 ${ms(follow.latency.p95)} until 202`,
      ],
      [
        "Until every follower had its Accept",
        `${follow.acceptedSeconds.toFixed(1)} s (${int(follow.acceptsArrived)} Accepts)`,
      ],
      [
        "CPU per follow, server + database (verify, store, send Accept)",
        cpuText(follow.cpuPerFollow),
      ],
      [
        "CPU per reply one at a time, server + database (verify, store, apply)",
        cpuText(results.replies.cpuPerReply),
      ],
      ["Actor documents Hearth fetched from the stub", int(results.actorFetches)],
      [
        `Burst of ${int(burst.replies)} replies until all stored`,
        `${burst.seconds.toFixed(2)} s (${int(burst.perSecond)} replies/s)`,
      ],
      ["Server RSS at start / peak", `${mb(results.rssAtStart)} / ${mb(results.rssPeak)}`],
    ],
  };
}

function targetTable(results: Results): Table {
  const comments = results.fanouts.filter((fanout) => / both$/.test(fanout.what));
  const slowest = comments.reduce(
    (worst, fanout) => (fanout.perSecond < worst.perSecond ? fanout : worst),
    comments[0]!,
  );
  const complete = comments.every((fanout) => fanout.arrived === fanout.expected);
  const stored = results.replies.stored;
  const mark = (ok: boolean) => (ok ? "met" : "not met");
  return {
    headers: ["Target", "Measured", "Result"],
    rows: [
      [
        `Comment fan-out ≥ ${TARGETS.deliveriesPerSecond} deliveries/s`,
        `slowest of ${comments.length}: ${int(slowest.perSecond)}/s, all ${int(slowest.arrived)} delivered after ${ms(slowest.lastMs)}`,
        mark(complete && slowest.perSecond >= TARGETS.deliveriesPerSecond),
      ],
      [
        `Inbound reply verified and stored, p95 ≤ ${TARGETS.replyP95} ms`,
        `${ms(stored.p95)} (202 alone: ${ms(results.replies.accepted.p95)})`,
        mark(stored.p95 <= TARGETS.replyP95),
      ],
    ],
  };
}

function docsSection(results: Results, options: Options): string {
  const inboxes = options.followers - options.behindShared + (options.behindShared > 0 ? 1 : 0);
  return `
<!-- Written by bench/federation.ts; run the command again to refresh this section. -->

Measured ${results.date} on ${machine()}; Node ${process.versions.node}, PostgreSQL ${results.postgresVersion} on the same machine. One-minute load average ${results.loadBefore.toFixed(2)} before the run and ${results.loadAfter.toFixed(2)} after it${Math.max(results.loadBefore, results.loadAfter) > 1.5 ? " (other work shared the machine, so the times are indicative)" : ""}.
Command: \`npm run bench -- federation\`.

Hearth runs as its own process (\`NODE_ENV=production\`, \`HEARTH_FEDERATION=1\`, \`HEARTH_FEDERATION_ALLOW_PRIVATE=1\`, logging off) on a fresh PostgreSQL database. The benchmark process plays the Fediverse with one local stub server on 127.0.0.1 that serves ${int(options.followers)} Person actor documents with public keys (one RSA key pair shared by all, each under its own key id) and answers every inbox POST with 202, counting it. ${int(options.behindShared)} of the actors sit behind one shared inbox, the other ${int(options.followers - options.behindShared)} have only their own, so one activity to all followers is ${int(inboxes)} POSTs. The followers are real: each actor sends a signed Follow (HTTP signature, draft-cavage, made with Fedify's \`signRequest\`), Hearth verifies it against the actor's key, stores the follower and delivers an Accept. Both processes and PostgreSQL share the same ${os.cpus().length} cores.

### Targets

${markdownTable(targetTable(results))}

### Fan-out

A member posts ${options.fanouts} comments, one after another, into a public thread marked to federate; each goes out as a \`Create(Note)\` from the member and an \`Announce\` from the community's Group, to every follower. Before that, federating the thread sent its \`Article\`. Times run from the client sending the request (the comment's POST, the thread's PUT) to the stub receiving the first and the last POST; "Deliveries/s" is POSTs over that whole time, "(window)" over first to last delivery; the target is judged on the slowest comment. The first comment is also the member's first activity, so it includes making their key pairs. CPU is the time the server process and the database's backends spent from the request until the last delivery, per POST (from /proc, so it does not grow when other work takes the cores away); "Server cores busy" is the server's CPU over that time, so deliveries/s is about cores busy ÷ CPU per POST, and a server that gets a whole core to itself delivers about 1,000 ÷ CPU per POST (ms) per second. Every delivery is checked to carry an HTTP signature.

Deliveries go through Hearth's queue on PostgreSQL (server/federation/message-queue.ts), up to 64 in flight per process; Fedify signs each POST (RFC 9421, RSA) and sends it. What a delivery costs beyond that is small: Fedify's per-delivery reads of its signature-spec and circuit-breaker entries are answered from memory, finished messages are deleted in batches, and the queue takes a fan-out's messages in one statement.

${markdownTable(fanoutTable(results))}

### Inbound replies

Signed \`Create(Note)\` replies to the first comment's Note, POSTed to Hearth's shared inbox, each from a follower who has not replied before (so each reply makes a remote author and is held for review: ${int(results.replies.held)} held, ${int(results.replies.published)} published). Hearth answers 202 once Fedify has verified the signature (the key comes from its cache after the Follow) and Hearth has stored the activity durably, as a queue message the receiving process holds; that process applies it at once, with the activity Fedify parsed, while the 202 goes out, and the queue's workers run it only if that fails or the process stops (server/federation/inbound.ts). "Until the comment is stored" is measured by the client, which polls the database about every millisecond for the reply's row, so it includes applying the reply (with a fetch of its author's actor document from the stub) and up to a millisecond of polling; it is the figure the target is judged on. The CPU per reply (in the table below) covers both steps, and also the event handlers that run for a new comment. ${options.warmupReplies} replies warm up first and are not counted. Then a burst: ${int(results.burst.replies)} replies from ${results.burst.concurrency} senders at once.

${markdownTable(replyTable(results))}

### Setup and memory

${markdownTable(otherTable(results))}

The figures vary with what else the machine is doing; they are indicative, not a capacity promise.
`;
}

function printResults(results: Results) {
  console.log("\nTargets");
  console.log(textTable(targetTable(results)));
  console.log("\nFan-out");
  console.log(textTable(fanoutTable(results)));
  console.log("\nInbound replies");
  console.log(textTable(replyTable(results)));
  console.log("\nSetup and memory");
  console.log(textTable(otherTable(results)));
}

export async function run(args: string[]): Promise<void> {
  const options = parseOptions(args);
  let database: BenchDatabase | undefined;
  let server: BenchServer | undefined;
  let client: HttpClient | undefined;
  let stub: FediverseStub | undefined;
  let sql: postgres.Sql | undefined;
  let cleaning: Promise<void> | undefined;
  const cleanup = () => {
    cleaning ??= (async () => {
      client?.close();
      await sql?.end({ timeout: 5 }).catch(() => {});
      await server?.stop().catch(() => {});
      await stub?.close().catch(() => {});
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
    database = await createBenchDatabase("federation");
    log(`database ${database.name} (PostgreSQL ${database.version})`);
    stub = await FediverseStub.start(options.followers, options.behindShared);
    log(`fediverse stub at ${stub.url} with ${int(options.followers)} actors`);
    const profileDir = options.cpuProf
      ? mkdtempSync(join(os.tmpdir(), "hearth-federation-profile-"))
      : undefined;
    server = await startServer({
      databaseUrl: database.url,
      env: {
        HEARTH_FEDERATION: "1",
        HEARTH_FEDERATION_ALLOW_PRIVATE: "1",
        HEARTH_API_KEY: API_KEY,
        HEARTH_COMMUNITY_NAME: "Bench Journal",
      },
      nodeArgs: profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [],
    });
    log(`server pid ${server.pid} at ${server.url}`);
    const running = server;
    const rssAtStart = server.rss();
    let rssPeak = rssAtStart;
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, running.rss());
    }, 100);
    sampler.unref();
    client = new HttpClient(server.url, 16);
    sql = postgres(database.url, { max: 1, onnotice: () => {} });
    const meter = new CpuMeter(server, sql);
    const groupIri = `${server.url}/ap/actors/community`;

    const phases: Record<string, ProfileWindow> = {};
    let phaseStart = monotonicMicros();
    const endPhase = (name: string) => {
      const now = monotonicMicros();
      phases[name] = { from: phaseStart, to: now };
      phaseStart = now;
    };
    const followResult = await follow(stub, meter, groupIri, options);
    endPhase("follows");
    log(
      `${int(followResult.followers)} follows in ${followResult.seconds.toFixed(1)} s, all accepted after ${followResult.acceptedSeconds.toFixed(1)} s`,
    );
    const collection = await client.json<{ totalItems?: number }>(
      "GET",
      "/ap/actors/community/followers",
      { headers: { accept: "application/activity+json" } },
    );
    if (collection.totalItems !== options.followers) {
      throw new Error(`the Group has ${collection.totalItems} followers, not ${options.followers}`);
    }

    const inboxes = options.followers - options.behindShared + (options.behindShared > 0 ? 1 : 0);
    const fanouts: FanoutResult[] = [];
    const waitAll = async (test: (delivery: Delivery) => boolean, what: string) => {
      if (!(await stub!.waitFor(test, inboxes, options.deliveryTimeoutMs))) {
        log(`  ${what}: only ${stub!.matching(test).length} of ${inboxes} arrived in time`);
      }
      return stub!.matching(test);
    };

    log("federating the thread (its Article goes to every follower)");
    phaseStart = monotonicMicros();
    const isArticle = (delivery: Delivery) =>
      delivery.type === "Create" && /\/ap\/threads\/\d+$/.test(delivery.object);
    let started = performance.now();
    let cpuBefore = await meter.mark();
    const put = await client.request("PUT", `/api/threads/${encodeURIComponent(THREAD_KEY)}`, {
      token: API_KEY,
      body: { title: "What we learned", url: "https://site.example/learned", federate: true },
    });
    if (put.status !== 200) throw new Error(`PUT thread answered ${put.status}: ${put.text}`);
    const articles = await waitAll(isArticle, "Article");
    fanouts.push(
      fanoutResult(
        "Create(Article), thread federated",
        articles,
        inboxes,
        started,
        put.ms,
        await meter.since(cpuBefore),
      ),
    );

    const [member] = await openSessions(client, 1);
    const random = seededRandom(2024);
    let firstNote = "";
    for (let round = 1; round <= options.fanouts; round++) {
      log(`comment ${round} of ${options.fanouts}: fan-out`);
      started = performance.now();
      cpuBefore = await meter.mark();
      const posted = await client.request(
        "POST",
        `/api/threads/${encodeURIComponent(THREAD_KEY)}/comments`,
        { token: member!.token, body: { body: commentBody(random) } },
      );
      if (posted.status !== 201)
        throw new Error(`POST comment answered ${posted.status}: ${posted.text}`);
      const { comment } = JSON.parse(posted.text) as { comment: { id: string } };
      const noteIri = `${server.url}/ap/comments/${comment.id}`;
      firstNote ||= noteIri;
      const creates = await waitAll((d) => d.id === `${noteIri}#create`, "Create");
      const announces = await waitAll((d) => d.id === `${noteIri}#announce`, "Announce");
      const cpu = await meter.since(cpuBefore);
      fanouts.push(
        fanoutResult(
          `comment ${round}: Create(Note)`,
          creates,
          inboxes,
          started,
          posted.ms,
          undefined,
        ),
        fanoutResult(
          `comment ${round}: Announce`,
          announces,
          inboxes,
          started,
          posted.ms,
          undefined,
        ),
        fanoutResult(
          `comment ${round}: both`,
          [...creates, ...announces],
          inboxes * 2,
          started,
          posted.ms,
          cpu,
        ),
      );
      const both = fanouts.at(-1)!;
      log(
        `  ${int(both.arrived)} POSTs, all delivered after ${ms(both.lastMs)} (${int(both.perSecond)}/s)`,
      );
      await sleep(500);
    }

    endPhase("fan-out");
    log(
      `inbound replies: ${options.warmupReplies} to warm up, then ${options.replies} one at a time`,
    );
    const replies = new Replies(stub, `${server.url}/ap/inbox`, sql, firstNote);
    await replies.sequential(options.warmupReplies);
    phaseStart = monotonicMicros();
    cpuBefore = await meter.mark();
    const sequential = await replies.sequential(options.replies);
    const cpuPerReply = per(await meter.since(cpuBefore), options.replies);
    endPhase("replies one at a time");
    log(`inbound replies: a burst of ${options.burst}, ${options.burstConcurrency} at a time`);
    const burst = await replies.burst(options.burst, options.burstConcurrency);
    endPhase("reply burst");
    const statuses = await sql<{ status: string; count: number }[]>`
      select c.status, count(*)::int as count from federation_objects o
      join comments c on c.id = o.comment_id where o.direction = 'in' group by c.status`;
    const statusCount = (status: string) =>
      statuses.find((row) => row.status === status)?.count ?? 0;
    clearInterval(sampler);
    const actorFetches = stub.actorFetches;

    client.close();
    await server.stop();
    if (profileDir) printProfiles(profileDir, repoRoot, 30, phases);

    const results: Results = {
      date: new Date().toISOString().slice(0, 10),
      loadBefore,
      loadAfter: os.loadavg()[0]!,
      postgresVersion: database.version,
      follow: followResult,
      actorFetches,
      fanouts,
      replies: {
        accepted: summarize(sequential.accepted),
        stored: summarize(sequential.stored),
        held: statusCount("held"),
        published: statusCount("published"),
        cpuPerReply,
      },
      burst,
      rssAtStart,
      rssPeak,
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
