import type { NotificationRow } from "../../db/queries/notifications.ts";

export interface NotificationJson {
  id: string;
  /** Every notification this item stands for (reactions on one comment are grouped). */
  ids: string[];
  kind: string;
  createdAt: string;
  read: boolean;
  actor: { id: string; handle: string; name: string; avatar: string | null } | null;
  /** Reactions: the latest few who reacted, newest first, and how many in all. */
  actors?: { id: string; handle: string; name: string; avatar: string | null }[];
  actorCount?: number;
  thread: { key: string; title: string | null; url: string | null };
  comment: { id: string; excerpt: string | null; url: string | null };
  reaction?: string;
  outcome?: string;
}

/** Plain text from Markdown, cut to `max` characters. */
export function excerpt(body: string | null, max = 140): string | null {
  if (body === null) return null;
  const text = body
    .replace(/```[\s\S]*?```/g, " ")
    .replace(/!\[[^\]]*\]\([^)]*\)/g, " ")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/^\s{0,3}(?:>+|#{1,6}|[-*+]|\d+\.)\s+/gm, "")
    .replace(/\*\*|__|~~|`/g, "")
    .replace(/(^|[\s(])[*_](\S(?:.*?\S)?)[*_](?=[\s).,!?:;]|$)/g, "$1$2")
    .replace(/\s+/g, " ")
    .trim();
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}

/** The permalink of a comment on the host page (null when the thread has no URL). */
export function commentUrl(threadUrl: string | null, commentId: number | string): string | null {
  if (!threadUrl) return null;
  return `${threadUrl.replace(/#.*$/, "")}#hearth-comment-${commentId}`;
}

export function serializeNotification(row: NotificationRow): NotificationJson {
  const n = row.notification;
  const visible =
    row.commentStatus === "published" || (n.kind === "moderation" && row.commentBody !== null);
  const json: NotificationJson = {
    id: String(n.id),
    ids: [String(n.id)],
    kind: n.kind,
    createdAt: n.createdAt.toISOString(),
    read: n.readAt !== null,
    actor:
      n.actorId && row.actorHandle !== null
        ? {
            id: n.actorId,
            handle: row.actorHandle,
            name: row.actorName ?? row.actorHandle,
            avatar: row.actorAvatar,
          }
        : null,
    thread: { key: row.threadKey, title: row.threadTitle, url: row.threadUrl },
    comment: {
      id: String(n.commentId),
      excerpt: visible ? excerpt(row.commentBody) : null,
      url: commentUrl(row.threadUrl, n.commentId),
    },
  };
  if (n.kind === "reaction") {
    json.reaction = String(n.payload.kind ?? "");
    json.actors = json.actor ? [json.actor] : [];
    json.actorCount = 1;
  }
  if (n.kind === "moderation") {
    json.outcome = String(n.payload.outcome ?? "");
    json.actor = null; // moderators act for the site, not as themselves
  }
  return json;
}

/**
 * Groups reactions to the same comment that sit next to each other in a page (same read
 * state) into one item: "Anna and 3 others reacted".
 */
export function groupReactions(items: NotificationJson[]): NotificationJson[] {
  const out: NotificationJson[] = [];
  const open = new Map<string, NotificationJson>();
  const who = new Map<NotificationJson, Set<string>>();
  for (const item of items) {
    if (item.kind !== "reaction") {
      out.push(item);
      continue;
    }
    const key = `${item.comment.id}|${item.read}`;
    const group = open.get(key);
    if (!group) {
      open.set(key, item);
      who.set(item, new Set(item.actor ? [item.actor.id] : []));
      out.push(item);
      continue;
    }
    group.ids.push(...item.ids);
    const seen = who.get(group)!;
    if (item.actor && !seen.has(item.actor.id)) {
      seen.add(item.actor.id);
      if (group.actors && group.actors.length < 3) group.actors.push(item.actor);
    }
    group.actorCount = Math.max(seen.size, 1);
  }
  return out;
}
