/**
 * The shapes of the public HTTP API as the widgets see them. These mirror the server's
 * serializers; the widgets depend on the JSON, never on server code.
 */

export type ErrorCode =
  | "invalid_json"
  | "validation_failed"
  | "invalid_thread_key"
  | "unauthenticated"
  | "token_invalid"
  | "token_expired"
  | "forbidden"
  | "edit_window_closed"
  | "thread_locked"
  | "banned"
  | "tier_required"
  | "not_found"
  | "thread_not_found"
  | "comment_not_found"
  | "conflict"
  | "payload_too_large"
  | "comment_empty"
  | "comment_too_long"
  | "invalid_parent"
  | "invalid_reaction"
  | "invalid_settings"
  | "rate_limited"
  | "internal"
  | "unavailable"
  | "request_timeout"
  | "headers_too_large"
  | "cross_site"
  // The host's identity set-up: a member token was refused for a reason the site owner fixes.
  | "unknown_key"
  | "jwks_unreachable"
  | "weak_key"
  | "issuer_mismatch"
  | "token_replayed"
  | "comment_rejected"
  | "invalid_preferences"
  | "ticket_invalid"
  | "ticket_expired"
  | "signup_blocked"
  | "invalid_filter"
  | "unsafe_filter"
  // The widget's own: the host's token URL answered with an error.
  | "token_url_failed";

export type CommentSort = "oldest" | "newest" | "top";

export type CommentStatus = "published" | "held" | "deleted" | "removed";

export interface Author {
  id: string;
  handle: string;
  name: string;
  avatar: string | null;
  /** The profile page of an author from the Fediverse (handle `user@instance`); else null. */
  url?: string | null;
}

export interface Member {
  id: string;
  handle: string;
  name: string;
  avatar: string | null;
  roles: string[];
}

export interface Session {
  token: string;
  expiresAt: string;
}

/** What the viewer may do in a thread (`GET /api/threads/:key`). */
export interface ViewerAccess {
  /** Absent means yes: the server refuses to send a thread its viewer may not read. */
  canRead?: boolean;
  canWrite: boolean;
  /** Why not: `unauthenticated`, `thread_locked`, `tier_required`, `banned`, … */
  reason?: string;
  /** The tiers that may, with `tier_required`. */
  tiers?: string[];
}

export interface Thread {
  key: string;
  title: string | null;
  url: string | null;
  commentCount: number;
  locked: boolean;
  premoderated: boolean;
  read: unknown;
  write: unknown;
  federate: boolean;
  createdAt: string;
  /** Sent by `GET /api/threads/:key` (and by pages, where the server includes it). */
  viewer?: ViewerAccess;
}

export interface Comment {
  id: string;
  threadKey: string;
  parentId: string | null;
  depth: number;
  author: Author;
  /** Sanitized on the server; rendered only by `renderCommentBody`. */
  html: string;
  /** The Markdown source, only for the viewer's own comments. */
  body?: string;
  status: CommentStatus;
  createdAt: string;
  editedAt: string | null;
  editableUntil: string | null;
  canEdit: boolean;
  canDelete: boolean;
  pinned: boolean;
  reactions: Record<string, number>;
  myReactions: string[];
  /** Replies below this top-level comment left off the page (`GET /api/comments/:id` has them). */
  moreReplies?: number;
  replies: Comment[];
}

export interface ThreadMeta {
  reactions: string[];
  maxDepth: number;
  maxLength: number;
  editWindowSeconds: number;
}

export interface CommentPage {
  thread: Thread;
  comments: Comment[];
  nextCursor: string | null;
  meta: ThreadMeta;
}

export interface ReactionState {
  reactions: Record<string, number>;
  myReactions: string[];
}

/** Used until the server has told us its own settings (a thread nobody has posted in yet). */
export const DEFAULT_META: ThreadMeta = {
  reactions: ["like", "love", "laugh", "insightful"],
  maxDepth: 3,
  maxLength: 10_000,
  editWindowSeconds: 900,
};

// --- Notifications ------------------------------------------------------------------------

/** Why a member is told: also the keys of their email preferences. */
export type NotificationKind = "reply" | "mention" | "thread" | "reaction" | "moderation";

/** How a member wants email for one kind of notification. */
export type EmailMode = "immediate" | "digest" | "off";

/** One item of `GET /api/notifications`; reactions to one comment come grouped. */
export interface HearthNotification {
  id: string;
  /** Every stored notification this item stands for (marking it read marks them all). */
  ids: string[];
  kind: NotificationKind | string;
  createdAt: string;
  read: boolean;
  actor: Author | null;
  /** Reactions: the latest few who reacted, and how many in all. */
  actors?: Author[];
  actorCount?: number;
  thread: { key: string; title: string | null; url: string | null };
  comment: { id: string; excerpt: string | null; url: string | null };
  reaction?: string;
  /** Moderation: what happened to the member's comment (`approved`, `removed`, …). */
  outcome?: string;
}

export interface NotificationPage {
  notifications: HearthNotification[];
  nextCursor: string | null;
  unread: number;
}

export interface Preferences {
  email: Partial<Record<NotificationKind, EmailMode>>;
  defaults?: Partial<Record<NotificationKind, EmailMode>>;
}

// --- Moderation ---------------------------------------------------------------------------

export interface ScreeningReason {
  signal: string;
  score: number;
  message: string;
}

export interface MemberHistory {
  comments: Partial<Record<CommentStatus, number>>;
  flagsReceived: number;
  firstCommentAt: string | null;
}

export interface Screening {
  verdict: string | null;
  score: number | null;
  reasons: ScreeningReason[];
  moderatorVerdict?: string | null;
}

/** The author of a queue item, with what moderators need to judge them. */
export interface QueueAuthor extends Author {
  /** `active`, `limited` or `banned`. */
  status: string;
  history: MemberHistory;
  screening: Screening | null;
}

/** One open item of the moderation queue: a held comment or a screened account. */
export interface QueueItem {
  id: string;
  kind: "comment" | "member";
  /** `premoderation`, `limited`, `screening`, `word_filter`, `flags` or `signup`. */
  reason: string;
  createdAt: string;
  details?: Record<string, unknown>;
  thread: { key: string; title: string | null } | null;
  comment: {
    id: string;
    parentId: string | null;
    /** Sanitized on the server; rendered only by `renderCommentBody`. */
    html: string;
    status: string;
    createdAt: string | null;
    flags: Record<string, number>;
  } | null;
  parent: { id: string; html: string; authorName: string | null } | null;
  author: QueueAuthor;
}

export interface QueuePage {
  items: QueueItem[];
  nextCursor: string | null;
}

export interface AuditEntry {
  id: string;
  actor: { id: string; handle: string | null; name: string | null } | null;
  /** `comment.approve`, `member.ban`, `thread.lock`, … */
  action: string;
  target: { type: string; id: string };
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  createdAt: string;
}

export interface AuditPage {
  entries: AuditEntry[];
  nextCursor: string | null;
}

/** An instance block (by host) or an actor block (by actor URL). */
export interface FederationBlock {
  id: string;
  kind: "instance" | "actor";
  /** `mastodon.example` or `https://mastodon.example/users/someone`. */
  target: string;
  /** `suspend`: nothing goes to it or comes from it; `silence`: its replies are held. */
  level: "suspend" | "silence";
  reason: string | null;
  createdAt: string;
}

/** `GET /api/mod/federation/blocks`. */
export interface FederationBlockList {
  blocks: FederationBlock[];
  /** Whether the server federates at all (blocks can be set up before it does). */
  federation: boolean;
}

/** `GET /api/mod/members/:id`: a member's profile, state, history and screening. */
export interface ModMember {
  member: Author & {
    status: string;
    roles: string[];
    createdAt: string;
    emailDomain?: string | null;
  };
  moderation: {
    bannedUntil: string | null;
    banReason: string | null;
    approvedComments: number;
    trusted: boolean;
    moderatorVerdict: string | null;
    screening: Screening;
  };
  history: MemberHistory;
  recentComments: {
    id: string;
    threadKey: string;
    html: string;
    status: string;
    createdAt: string;
  }[];
  audit: AuditEntry[];
}
