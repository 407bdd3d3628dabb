import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createChallenge, solveChallenge } from "altcha-lib/v1";
import { countLinks, textFingerprint } from "../../plugins/screening/content.ts";
import { isDisposableDomain } from "../../plugins/screening/disposable-email.ts";
import { namesSignal, randomness } from "../../plugins/screening/names.ts";
import { runScreening } from "../../plugins/screening/pipeline.ts";
import { createProofOfWork } from "../../plugins/screening/proof-of-work.ts";
import type { ScreeningContext, ScreeningSignal } from "../../plugins/screening/types.ts";
import { subnetOf } from "../../plugins/screening/velocity.ts";

const ctx: ScreeningContext = {
  now: new Date(),
  store: {
    recentSignups: async () => ({ ip: 0, subnet: 0 }),
    textAuthors: async () => 0,
    useChallenge: async () => true,
  },
};

describe("screening signals", () => {
  it("finds random-looking names and leaves real names in many languages alone", async () => {
    for (const name of [
      "Anna Lindqvist",
      "Jürgen Schwarzkopf",
      "Nguyễn Thị Minh",
      "Małgorzata Szczepańska",
      "Oluwaseun Adeyemi",
      "Τάσος Παπαδόπουλος",
      "李小龍",
      "anna1987",
    ]) {
      assert.equal(await namesSignal.score({ kind: "signup", name }, ctx), null, name);
    }
    for (const name of ["xkqzt8v2wq", "Bcdfgh Zxqwv", "jd8x7k2mq"]) {
      const result = await namesSignal.score({ kind: "signup", name }, ctx);
      assert.ok(result && result.score >= 15, name);
    }
    assert.ok(randomness("qwrtzpkl") > 0.5);
  });

  it("knows disposable domains and their subdomains", () => {
    assert.equal(isDisposableDomain("mailinator.com"), true);
    assert.equal(isDisposableDomain("MAILINATOR.COM"), true);
    assert.equal(isDisposableDomain("gmail.com"), false);
    assert.equal(isDisposableDomain("posteo.de"), false);
  });

  it("matches exact domains, subdomains of listed domains and of wildcard domains", () => {
    assert.equal(isDisposableDomain("mailinator.com."), true);
    assert.equal(isDisposableDomain("INSTÁGRAM.COM"), true);
    assert.equal(isDisposableDomain("mx.mailinator.com"), true);
    assert.equal(isDisposableDomain("a.b.mailinator.com"), true);
    // anonaddy.me is only on the wildcard list: its subdomains are disposable, it is not.
    assert.equal(isDisposableDomain("someone.anonaddy.me"), true);
    assert.equal(isDisposableDomain("anonaddy.me"), false);
    assert.equal(isDisposableDomain("mailinatorx.com"), false);
    assert.equal(isDisposableDomain("mailinator.co"), false);
    assert.equal(isDisposableDomain("mailinator.com.example.org"), false);
    assert.equal(isDisposableDomain("com"), false);
    assert.equal(isDisposableDomain(""), false);
  });

  it("groups IPv4 by /24 and IPv6 by /64", () => {
    assert.equal(subnetOf("203.0.113.77"), "203.0.113.0/24");
    assert.equal(subnetOf("::ffff:203.0.113.77"), "203.0.113.0/24");
    assert.equal(subnetOf("2001:db8:1:2:3:4:5:6"), "2001:db8:1:2::/64");
    assert.equal(subnetOf("2001:db8::1"), "2001:db8:0:0::/64");
  });

  it("counts links and fingerprints text regardless of case, punctuation and links", () => {
    assert.equal(countLinks("see https://a.example and www.b.example"), 2);
    assert.equal(
      textFingerprint("Great post!! I totally agree with everything you wrote here, thanks"),
      textFingerprint(
        "great post i totally agree with everything you wrote here thanks https://x.y",
      ),
    );
    assert.equal(textFingerprint("short"), undefined);
  });

  it("sums scores, ignores a failing signal and decides by the thresholds", async () => {
    const signals: ScreeningSignal[] = [
      { name: "a", kinds: ["signup"], score: async () => ({ score: 30, reason: "a" }) },
      { name: "b", kinds: ["signup"], score: async () => ({ score: 20, reason: "b" }) },
      {
        name: "broken",
        kinds: ["signup"],
        score: async () => {
          throw new Error("down");
        },
      },
      { name: "c", kinds: ["comment"], score: async () => ({ score: 100, reason: "c" }) },
    ];
    const errors: string[] = [];
    const result = await runScreening(
      signals,
      { kind: "signup" },
      ctx,
      { reviewAt: 40, blockAt: 90 },
      { onError: (name) => errors.push(name) },
    );
    assert.equal(result.verdict, "review");
    assert.equal(result.score, 50);
    assert.deepEqual(errors, ["broken"]);
    assert.deepEqual(
      result.reasons.map((r) => r.signal),
      ["a", "b"],
    );
  });

  it("accepts proof-of-work that altcha-lib solves, once, and refuses tampered or expired payloads", async () => {
    const pow = createProofOfWork({ hmacKey: "unit-test-key-0123456789abcdef", maxNumber: 2000 });
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64");
    const solve = async (challenge: { challenge: string; salt: string }) =>
      (await solveChallenge(challenge.challenge, challenge.salt, "SHA-256", 2000).promise)!.number;
    const challenge = await pow.challenge(new Date());
    const payload = { ...challenge, number: await solve(challenge) };
    const used = new Set<string>();
    const store = {
      ...ctx.store,
      useChallenge: async (signature: string) => !used.has(signature) && !!used.add(signature),
    };
    const score = (altcha: string) =>
      pow.signal.score({ kind: "signup", altcha }, { ...ctx, now: new Date(), store });
    assert.equal((await score(encode(payload)))?.score, -10);
    assert.equal((await score(encode(payload)))?.reason, "The proof-of-work was already used.");
    for (const bad of [
      { ...payload, number: payload.number + 1 },
      { ...payload, signature: "0".repeat(64) },
      { ...payload, algorithm: "SHA-1" },
      { ...payload, salt: `${payload.salt}x` },
    ]) {
      assert.equal((await score(encode(bad)))?.score, 40);
    }
    assert.equal((await score("not base64 json"))?.score, 40);
    // Signed with another key, or expired.
    const foreign = await createChallenge({
      hmacKey: "another-key-0123456789abcdef",
      maxNumber: 2000,
    });
    assert.equal((await score(encode({ ...foreign, number: await solve(foreign) })))?.score, 40);
    const old = await createChallenge({
      hmacKey: "unit-test-key-0123456789abcdef",
      maxNumber: 2000,
      expires: new Date(Date.now() - 1000),
    });
    assert.equal((await score(encode({ ...old, number: await solve(old) })))?.score, 40);
  });
});
