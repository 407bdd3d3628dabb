/**
 * Screening evaluation: runs the labelled corpus (tests/fixtures/screening-corpus.json)
 * through the same signal pipeline and thresholds the server uses, signup first and then
 * the member's first post on top of the signup score, in time order (velocity and repeated
 * text look across entries). Prints precision, recall and false-positive rate for `block`
 * and for `review or block`, and the catch rate per bot tactic.
 */
import { readFileSync } from "node:fs";
import { textFingerprint } from "../plugins/screening/content.ts";
import { createSignals, runScreening } from "../plugins/screening/index.ts";
import type { ScreeningSignal, ScreeningStore, Verdict } from "../plugins/screening/types.ts";
import { isLoopback, subnetOf } from "../plugins/screening/velocity.ts";
import { loadConfig } from "../server/config.ts";
import { CORPUS_PATH, type CorpusEntry } from "./screening-corpus.ts";

export const description = "bot-signup screening: precision and recall on the labelled corpus";

/** The server's store, in memory, with the corpus's own clock. */
class MemoryScreeningStore implements ScreeningStore {
  readonly signups: { ip: string; subnet: string; at: number }[] = [];
  readonly texts: { hash: string; memberId: string; at: number }[] = [];
  async recentSignups(ip: string, subnet: string, since: Date) {
    const from = since.getTime();
    let byIp = 0;
    let bySubnet = 0;
    for (const s of this.signups) {
      if (s.at < from || s.subnet !== subnet) continue;
      bySubnet++;
      if (s.ip === ip) byIp++;
    }
    return { ip: byIp, subnet: bySubnet };
  }
  readonly challenges = new Set<string>();
  async useChallenge(signature: string) {
    if (this.challenges.has(signature)) return false;
    this.challenges.add(signature);
    return true;
  }
  async textAuthors(hash: string, memberId: string, since: Date) {
    const from = since.getTime();
    return new Set(
      this.texts
        .filter((t) => t.hash === hash && t.memberId !== memberId && t.at >= from)
        .map((t) => t.memberId),
    ).size;
  }
}

/** The proof-of-work signal as the corpus describes the client's payload. */
const corpusProofOfWork = (entries: Map<string, CorpusEntry>): ScreeningSignal => ({
  name: "proof_of_work",
  kinds: ["signup"],
  async score(input) {
    const entry = entries.get(input.altcha ?? "");
    if (!entry) return null;
    if (entry.pow === "solved") return { score: -10, reason: "Solved the proof-of-work." };
    if (entry.pow === "invalid") return { score: 40, reason: "The proof-of-work is invalid." };
    return { score: 25, reason: "No proof-of-work was sent." };
  },
});

const rank: Record<Verdict, number> = { allow: 0, review: 1, block: 2 };

function pct(n: number, d: number): string {
  return d === 0 ? "   n/a" : `${((100 * n) / d).toFixed(1).padStart(5)}%`;
}

export async function evaluate(corpus: CorpusEntry[]) {
  const config = loadConfig({ HEARTH_LOG_LEVEL: "silent" });
  const thresholds = { reviewAt: config.screening.reviewAt, blockAt: config.screening.blockAt };
  const byId = new Map(corpus.map((entry) => [entry.id, entry]));
  const signals = [...createSignals(), corpusProofOfWork(byId)];
  const store = new MemoryScreeningStore();
  const t0 = Date.UTC(2026, 10, 1);
  const results: { entry: CorpusEntry; verdict: Verdict; score: number; signals: string[] }[] = [];
  for (const entry of corpus) {
    const now = new Date(t0 + entry.at * 1000);
    const ctx = { now, store };
    const signup = await runScreening(
      signals,
      {
        kind: "signup",
        email: entry.email,
        name: entry.name,
        ip: entry.ip,
        honeypot: entry.honeypot,
        elapsedMs: entry.elapsedMs,
        altcha: entry.id,
        fromWidget: true,
      },
      ctx,
      thresholds,
    );
    if (!isLoopback(entry.ip))
      store.signups.push({ ip: entry.ip, subnet: subnetOf(entry.ip), at: now.getTime() });
    let verdict = signup.verdict;
    let score = signup.score;
    const fired = signup.reasons.map((r) => r.signal);
    if (verdict !== "block") {
      const post = await runScreening(
        signals,
        { kind: "comment", body: entry.firstPost, memberId: entry.id, name: entry.name },
        ctx,
        thresholds,
        { baseScore: signup.score },
      );
      const hash = textFingerprint(entry.firstPost);
      if (hash) store.texts.push({ hash, memberId: entry.id, at: now.getTime() });
      if (rank[post.verdict] > rank[verdict]) verdict = post.verdict;
      score = Math.max(score, post.score);
      fired.push(...post.reasons.map((r) => r.signal));
    }
    results.push({ entry, verdict, score, signals: fired });
  }
  return results;
}

export async function run(): Promise<void> {
  const corpus = JSON.parse(readFileSync(CORPUS_PATH, "utf8")) as CorpusEntry[];
  const started = performance.now();
  const results = await evaluate(corpus);
  const ms = performance.now() - started;
  const bots = results.filter((r) => r.entry.label === "bot");
  const members = results.filter((r) => r.entry.label === "member");
  console.log(
    `Screening evaluation: ${corpus.length} signups (${members.length} members, ${bots.length} bots), ` +
      `${(ms / corpus.length).toFixed(2)} ms per signup and first post`,
  );
  console.log("");
  console.log("flagged as          precision   recall (bots caught)   false positives (members)");
  for (const [label, at] of [
    ["block", 2],
    ["review or block", 1],
  ] as const) {
    const tp = bots.filter((r) => rank[r.verdict] >= at).length;
    const fp = members.filter((r) => rank[r.verdict] >= at).length;
    console.log(
      `${label.padEnd(18)}  ${pct(tp, tp + fp)}      ${pct(tp, bots.length)} (${tp}/${bots.length})` +
        `         ${pct(fp, members.length)} (${fp}/${members.length})`,
    );
  }
  console.log("");
  console.log("bots caught (review or block) by tactic:");
  const tactics = [...new Set(bots.map((r) => r.entry.tactic))];
  for (const tactic of tactics) {
    const group = bots.filter((r) => r.entry.tactic === tactic);
    const caught = group.filter((r) => r.verdict !== "allow").length;
    const blocked = group.filter((r) => r.verdict === "block").length;
    console.log(
      `  ${tactic.padEnd(14)} ${pct(caught, group.length)} (${caught}/${group.length}), blocked ${blocked}`,
    );
  }
  const wrong = members.filter((r) => r.verdict !== "allow");
  if (wrong.length > 0) {
    console.log("");
    console.log("members held or blocked:");
    for (const r of wrong.slice(0, 20)) {
      console.log(
        `  ${r.entry.id} ${r.verdict.padEnd(6)} ${String(r.score).padStart(3)}  ${r.entry.name} <${r.entry.email}>  [${r.signals.join(", ")}]`,
      );
    }
  }
  const blockedMembers = members.filter((r) => r.verdict === "block").length / members.length;
  const recall = bots.filter((r) => r.verdict !== "allow").length / bots.length;
  console.log("");
  console.log(
    `targets: members wrongly blocked ≤ 1% → ${(blockedMembers * 100).toFixed(1)}% ${blockedMembers <= 0.01 ? "met" : "MISSED"}; ` +
      `bots caught ≥ 90% → ${(recall * 100).toFixed(1)}% ${recall >= 0.9 ? "met" : "MISSED"}`,
  );
}
