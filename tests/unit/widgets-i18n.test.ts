import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { HearthApiError } from "../../widgets/api.ts";
import { describeError, pickLocale, relativeTime, translations } from "../../widgets/i18n/index.ts";

const { en, de, fr } = translations;

describe("widgets i18n", () => {
  it("picks a supported locale by its primary subtag", () => {
    assert.equal(pickLocale("de-AT"), "de");
    assert.equal(pickLocale("FR_ca"), "fr");
    assert.equal(pickLocale("en"), "en");
    assert.equal(pickLocale("es"), null);
    assert.equal(pickLocale(""), null);
    assert.equal(pickLocale(null), null);
    assert.equal(pickLocale("constructor"), null);
  });

  it("has the same keys and error codes in every locale", () => {
    for (const locale of [de, fr]) {
      assert.deepEqual(Object.keys(locale).sort(), Object.keys(en).sort());
      assert.deepEqual(Object.keys(locale.errors).sort(), Object.keys(en.errors).sort());
    }
  });

  it("counts comments with each language's plural rules", () => {
    assert.equal(en.commentCount(0), "0 comments");
    assert.equal(en.commentCount(1), "1 comment");
    assert.equal(en.commentCount(1200), "1,200 comments");
    assert.equal(de.commentCount(1), "1 Kommentar");
    assert.equal(de.commentCount(2), "2 Kommentare");
    assert.equal(fr.commentCount(0), "0 commentaire");
    assert.equal(fr.commentCount(1), "1 commentaire");
    assert.equal(fr.commentCount(2), "2 commentaires");
  });

  it("counts the replies left to show with each language's plural rules", () => {
    assert.equal(en.showMoreReplies(1), "Show 1 more reply");
    assert.equal(en.showMoreReplies(3), "Show 3 more replies");
    assert.equal(de.showMoreReplies(1), "1 weitere Antwort anzeigen");
    assert.equal(de.showMoreReplies(12), "12 weitere Antworten anzeigen");
    assert.equal(fr.showMoreReplies(1), "Afficher 1 autre réponse");
    assert.equal(fr.showMoreReplies(2), "Afficher 2 autres réponses");
    assert.equal(en.announceRepliesLoaded(1), "1 more reply shown.");
    assert.equal(fr.announceRepliesLoaded(4), "4 réponses affichées.");
  });

  it("has a message for every error code the server sends", () => {
    // The server's codes, read from its source: the widgets never import server code.
    const source = readFileSync(new URL("../../server/errors.ts", import.meta.url), "utf8");
    const union = /export type ErrorCode =([^;]+);/.exec(source)?.[1] ?? "";
    const codes = [...union.matchAll(/"([a-z_]+)"/g)].map((match) => match[1]!);
    assert.ok(codes.includes("tier_required") && codes.includes("weak_key"));
    for (const locale of [en, de, fr]) {
      for (const code of codes) {
        assert.ok(Object.hasOwn(locale.errors, code), `${locale.$code} lacks ${code}`);
      }
    }
    assert.equal(
      describeError(de, new HearthApiError(401, "token_replayed", "Used.")),
      de.errors.token_replayed,
    );
  });

  it("maps known error codes and keeps the server's text for unknown ones", () => {
    assert.equal(
      describeError(de, new HearthApiError(403, "thread_locked", "Locked.")),
      de.errors.thread_locked,
    );
    assert.equal(
      describeError(en, new HearthApiError(418, "teapot", "I am a teapot.")),
      "Something went wrong: I am a teapot.",
    );
    assert.equal(describeError(fr, new HearthApiError(0, "network_error", "x")), fr.networkError);
    assert.equal(describeError(en, new Error("boom")), "Something went wrong: boom");
  });

  it("shows times relative to now in the reader's language", () => {
    const now = Date.parse("2025-06-01T12:00:00Z");
    assert.equal(relativeTime(en, "2025-06-01T11:59:50Z", now), "just now");
    assert.equal(relativeTime(en, "2025-06-01T11:55:00Z", now), "5 minutes ago");
    assert.equal(relativeTime(de, "2025-06-01T09:00:00Z", now), "vor 3 Stunden");
    assert.equal(relativeTime(en, "2025-05-31T12:00:00Z", now), "yesterday");
    assert.equal(relativeTime(fr, "2025-05-18T12:00:00Z", now), "il y a 2 semaines");
  });
});
