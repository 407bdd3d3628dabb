import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { Activity, Create, Delete, Flag, Follow, Like, Note, Undo } from "@fedify/vocab";
import { readNote } from "../../server/federation/inbox.ts";

const fixture = (name: string) =>
  JSON.parse(
    readFileSync(new URL(`../fixtures/activitypub/${name}.json`, import.meta.url), "utf8"),
  ) as unknown;

const parse = (name: string) => Activity.fromJsonLd(fixture(name));

describe("activities published by other servers", () => {
  it("reads a Mastodon reply: its Note, the post it answers, safe HTML and text", async () => {
    const create = await parse("mastodon-create-note");
    assert.ok(create instanceof Create);
    assert.equal(create.actorId?.href, "https://mastodon.madrid/users/felix");
    const object = await create.getObject();
    assert.ok(object instanceof Note);
    const note = readNote(object);
    assert.ok(note);
    assert.equal(
      note.inReplyTo?.href,
      "https://mamot.fr/users/retiolus/statuses/107224244380204526",
    );
    assert.equal(note.author?.href, "https://mastodon.madrid/users/felix");
    assert.ok(!note.html.includes("class="));
    assert.match(note.html, /<a href="https:\/\/mamot.fr\/@retiolus" rel="nofollow ugc/);
    assert.match(note.body, /^@retiolus i have never been disappointed by a thinkpad\./);
  });

  it("reads Mastodon's Delete with a Tombstone, Undo of a Follow and a Flag", async () => {
    const del = await parse("mastodon-delete");
    assert.ok(del instanceof Delete);
    assert.equal(
      del.objectId?.href,
      "https://mastodon.madrid/users/felix/statuses/107773559874184870",
    );
    const undo = await parse("mastodon-undo-follow");
    assert.ok(undo instanceof Undo);
    const follow = await undo.getObject();
    assert.ok(follow instanceof Follow);
    assert.equal(follow.actorId?.href, undo.actorId?.href);
    const flag = await parse("mastodon-flag");
    assert.ok(flag instanceof Flag);
    assert.equal(flag.objectIds.length, 3);
    assert.equal(flag.content?.toString(), "Please take a look at this user and their posts");
  });

  it("reads Lemmy's comment, follow and vote", async () => {
    const create = await parse("lemmy-create-note");
    assert.ok(create instanceof Create);
    const object = await create.getObject();
    assert.ok(object instanceof Note);
    const note = readNote(object);
    assert.equal(note?.inReplyTo?.href, "http://ds9.lemmy.ml/post/1");
    assert.equal(note?.body, "hello");
    const follow = await parse("lemmy-follow");
    assert.ok(follow instanceof Follow);
    assert.equal(follow.objectId?.href, "http://enterprise.lemmy.ml/c/main");
    const like = await parse("lemmy-like-note");
    assert.ok(like instanceof Like);
    assert.equal(like.objectId?.href, "http://ds9.lemmy.ml/comment/1");
  });

  it("reads a Misskey reply and a reaction sent as Like", async () => {
    const create = await parse("misskey-create-note");
    assert.ok(create instanceof Create);
    const object = await create.getObject();
    assert.ok(object instanceof Note);
    const note = readNote(object);
    assert.equal(note?.inReplyTo?.href, "https://hearth.example/ap/comments/42");
    assert.equal(note?.html, "<p>Nice write-up really 👍</p>");
    assert.equal(note?.body, "Nice write-up really 👍");
    const like = await parse("misskey-like-reaction");
    assert.ok(like instanceof Like);
    assert.equal(like.objectId?.href, "https://hearth.example/ap/comments/42");
  });
});
