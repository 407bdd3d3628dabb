import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { moderationDe } from "../../widgets/i18n/moderation-de.ts";
import { moderationEn } from "../../widgets/i18n/moderation-en.ts";
import { moderationFr } from "../../widgets/i18n/moderation-fr.ts";
import { BAN_DURATIONS, shortcutOf, step, withoutItems } from "../../widgets/moderation-queue.ts";
import type { QueueItem } from "../../widgets/types.ts";

const item = (id: string) => ({ id }) as QueueItem;
const key = (k: string, extra: Record<string, unknown> = {}) => ({
  key: k,
  composedPath: () => [{ localName: "article" }] as unknown as EventTarget[],
  ...extra,
});

describe("moderation queue", () => {
  it("maps the letter keys to shortcuts", () => {
    assert.equal(shortcutOf(key("a")), "approve");
    assert.equal(shortcutOf(key("r")), "remove");
    assert.equal(shortcutOf(key("b")), "ban");
    assert.equal(shortcutOf(key("j")), "next");
    assert.equal(shortcutOf(key("k")), "previous");
    assert.equal(shortcutOf(key("x")), "select");
    assert.equal(shortcutOf(key("q")), null);
    assert.equal(shortcutOf(key("A")), null);
  });

  it("ignores shortcuts with modifier keys or while typing in a field", () => {
    assert.equal(shortcutOf(key("a", { ctrlKey: true })), null);
    assert.equal(shortcutOf(key("r", { metaKey: true })), null);
    for (const localName of ["input", "textarea", "select"]) {
      const path = () => [{ localName }, { localName: "form" }] as unknown as EventTarget[];
      assert.equal(shortcutOf(key("a", { composedPath: path })), null);
    }
    const editable = () =>
      [{ localName: "div", isContentEditable: true }] as unknown as EventTarget[];
    assert.equal(shortcutOf(key("a", { composedPath: editable })), null);
  });

  it("moves within the list without running off either end", () => {
    assert.equal(step(0, -1, 3), 0);
    assert.equal(step(1, 1, 3), 2);
    assert.equal(step(2, 1, 3), 2);
    assert.equal(step(5, 0, 3), 2);
    assert.equal(step(0, 1, 0), 0);
  });

  it("takes decided items out and moves to the item that took the current one's place", () => {
    const items = ["1", "2", "3", "4"].map(item);
    const one = withoutItems(items, new Set(["2"]), 1);
    assert.deepEqual(
      one.items.map((i) => i.id),
      ["1", "3", "4"],
    );
    assert.equal(one.items[one.current]?.id, "3");
    const before = withoutItems(items, new Set(["1", "2"]), 2);
    assert.equal(before.items[before.current]?.id, "3");
    const last = withoutItems(items, new Set(["4"]), 3);
    assert.equal(last.items[last.current]?.id, "3");
    assert.equal(withoutItems([item("1")], new Set(["1"]), 0).items.length, 0);
  });

  it("has the same moderation strings in every language", () => {
    for (const locale of [moderationDe, moderationFr]) {
      assert.deepEqual(Object.keys(locale).sort(), Object.keys(moderationEn).sort());
    }
    assert.deepEqual(
      BAN_DURATIONS.map((s) => moderationEn.banDuration(s)),
      ["1 day", "7 days", "30 days", "For good"],
    );
    assert.equal(moderationDe.banDuration(86_400), "1 Tag");
    assert.equal(moderationFr.confirmBulkRemove(2), "Retirer 2 éléments sélectionnés ?");
    assert.equal(
      moderationEn.auditLine("Morgan", "comment.approve", "comment 12"),
      "Morgan approved comment 12",
    );
    assert.equal(moderationEn.queueReason("made_up"), "made_up");
  });
});
