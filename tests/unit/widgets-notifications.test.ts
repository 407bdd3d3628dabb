import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { translations } from "../../widgets/i18n/index.ts";
import {
  addLive,
  appendOlder,
  describeNotification,
  markRead,
  notificationLink,
} from "../../widgets/notification-list.ts";
import type { Author, HearthNotification } from "../../widgets/types.ts";

const { en, de, fr } = translations;

const member = (name: string): Author => ({
  id: name.toLowerCase(),
  handle: name.toLowerCase(),
  name,
  avatar: null,
});

function notification(id: string, fields: Partial<HearthNotification> = {}): HearthNotification {
  return {
    id,
    ids: [id],
    kind: "reply",
    createdAt: "2026-11-23T10:00:00.000Z",
    read: false,
    actor: member("Anna"),
    thread: { key: "posts/bread", title: "Bread", url: "https://site.example/bread" },
    comment: { id: `c${id}`, excerpt: "Hello", url: null },
    ...fields,
  };
}

const reaction = (id: string, who: string, commentId = "c9") =>
  notification(id, {
    kind: "reaction",
    actor: member(who),
    actors: [member(who)],
    actorCount: 1,
    reaction: "like",
    comment: { id: commentId, excerpt: null, url: null },
  });

describe("notification list", () => {
  it("puts a live notification on top and replaces one it already lists", () => {
    const list = [notification("1")];
    const added = addLive(list, notification("2"));
    assert.deepEqual(
      added.map((n) => n.id),
      ["2", "1"],
    );
    const replaced = addLive(added, notification("1", { read: true }));
    assert.deepEqual(
      replaced.map((n) => [n.id, n.read]),
      [
        ["2", false],
        ["1", true],
      ],
    );
  });

  it("groups a live reaction with the unread reactions to the same comment", () => {
    let list = [reaction("1", "Anna"), notification("2")];
    list = addLive(list, reaction("3", "Ben"));
    list = addLive(list, reaction("4", "Chloé"));
    list = addLive(list, reaction("5", "Dan"));
    assert.equal(list.length, 2);
    const group = list[0]!;
    assert.deepEqual(group.ids.sort(), ["1", "3", "4", "5"]);
    assert.equal(group.actorCount, 4);
    assert.deepEqual(
      group.actors?.map((a) => a.name),
      ["Dan", "Chloé", "Ben"],
    );
    assert.equal(describeNotification(en, group), "Dan and 3 others reacted to your comment");
  });

  it("keeps reactions to other comments, and to read ones, apart", () => {
    let list = [reaction("1", "Anna", "c1")];
    list = addLive(list, reaction("2", "Ben", "c2"));
    list = addLive(markRead(list, ["1", "2"]), reaction("3", "Chloé", "c1"));
    assert.equal(list.length, 3);
  });

  it("appends an older page without repeating items", () => {
    const list = appendOlder(
      [notification("3"), notification("2")],
      [notification("2"), notification("1")],
    );
    assert.deepEqual(
      list.map((n) => n.id),
      ["3", "2", "1"],
    );
  });

  it("marks given items or all of them read", () => {
    const list = [notification("1"), notification("2")];
    assert.deepEqual(
      markRead(list, ["2"]).map((n) => n.read),
      [false, true],
    );
    assert.deepEqual(
      markRead(list, "all").map((n) => n.read),
      [true, true],
    );
  });

  it("describes every kind in every language", () => {
    const thread = notification("1", { kind: "thread", actor: member("Ben") });
    assert.equal(describeNotification(en, notification("1")), "Anna replied to your comment");
    assert.equal(describeNotification(en, thread), "Ben commented on Bread");
    assert.equal(describeNotification(de, thread), "Ben hat in „Bread“ kommentiert");
    assert.equal(
      describeNotification(fr, notification("1", { kind: "mention" })),
      "Anna vous a mentionné·e",
    );
    assert.equal(
      describeNotification(de, { ...reaction("1", "Anna"), actorCount: 2 }),
      "Anna und 1 weitere Person haben auf deinen Kommentar reagiert",
    );
    assert.equal(
      describeNotification(
        en,
        notification("1", { kind: "moderation", actor: null, outcome: "removed" }),
      ),
      "Your comment was removed by a moderator",
    );
    assert.equal(
      describeNotification(en, notification("1", { actor: null })),
      "Someone replied to your comment",
    );
  });

  it("links to the comment's permalink on the thread's page", () => {
    assert.equal(
      notificationLink(notification("1")),
      "https://site.example/bread#hearth-comment-c1",
    );
    assert.equal(
      notificationLink(
        notification("1", {
          comment: { id: "5", excerpt: null, url: "https://site.example/a#hearth-comment-5" },
        }),
      ),
      "https://site.example/a#hearth-comment-5",
    );
    assert.equal(
      notificationLink(
        notification("1", { thread: { key: "k", title: null, url: "/bread#top" } }),
        "https://site.example/x",
      ),
      "https://site.example/bread#hearth-comment-c1",
    );
    assert.equal(
      notificationLink(
        notification("1", { thread: { key: "k", title: null, url: "javascript:alert(1)" } }),
      ),
      null,
    );
    assert.equal(
      notificationLink(notification("1", { thread: { key: "k", title: null, url: null } })),
      null,
    );
  });
});
