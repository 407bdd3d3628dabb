/**
 * Events the widgets fire. Each bubbles and is composed, so a host page can listen on the
 * element or on `document`. They fire on a member's action or a fact from the server, never
 * because a property was set.
 */
import type { Comment, Member } from "./types.ts";

const init: EventInit = { bubbles: true, composed: true };

/** A comment (or reply) was accepted by the server. */
export class HearthCommentPostedEvent extends Event {
  static readonly type = "hearth-comment-posted";
  constructor(readonly comment: Comment) {
    super(HearthCommentPostedEvent.type, init);
  }
}

/** The viewer edited one of their comments. */
export class HearthCommentEditedEvent extends Event {
  static readonly type = "hearth-comment-edited";
  constructor(readonly comment: Comment) {
    super(HearthCommentEditedEvent.type, init);
  }
}

/** The viewer deleted a comment; `comment` is the tombstone. */
export class HearthCommentDeletedEvent extends Event {
  static readonly type = "hearth-comment-deleted";
  constructor(readonly comment: Comment) {
    super(HearthCommentDeletedEvent.type, init);
  }
}

/** The server accepted a different member, or none (`member` is null when signed out). */
export class HearthSessionChangedEvent extends Event {
  static readonly type = "hearth-session-changed";
  constructor(readonly member: Member | null) {
    super(HearthSessionChangedEvent.type, init);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    "hearth-comment-posted": HearthCommentPostedEvent;
    "hearth-comment-edited": HearthCommentEditedEvent;
    "hearth-comment-deleted": HearthCommentDeletedEvent;
    "hearth-session-changed": HearthSessionChangedEvent;
  }
}
