/**
 * Pure helpers of `<hearth-notifications>`: merging live items into the list (reactions to
 * one comment stay one item), marking read, the sentence for an item and its link.
 */
import type { Translation } from "./i18n/index.ts";
import type { Author, HearthNotification } from "./types.ts";

/** How many reacting members an item keeps by name. */
const MAX_ACTORS = 3;

const reactors = (item: HearthNotification): Author[] =>
  item.actors ?? (item.actor ? [item.actor] : []);

/**
 * Puts a live notification at the top of the list. One already listed (same id) is
 * replaced; a reaction to a comment whose reactions are listed unread joins that item.
 */
export function addLive(
  list: HearthNotification[],
  item: HearthNotification,
): HearthNotification[] {
  if (list.some((known) => known.id === item.id || known.ids.includes(item.id))) {
    return list.map((known) => (known.id === item.id ? item : known));
  }
  if (item.kind === "reaction") {
    const group = list.find(
      (known) => known.kind === "reaction" && !known.read && known.comment.id === item.comment.id,
    );
    if (group) {
      const fresh = reactors(item);
      const actors = [
        ...fresh,
        ...reactors(group).filter((a) => !fresh.some((b) => b.id === a.id)),
      ].slice(0, MAX_ACTORS);
      const merged: HearthNotification = {
        ...group,
        ids: [...new Set([...item.ids, ...group.ids])],
        createdAt: item.createdAt,
        actor: item.actor ?? group.actor,
        actors,
        actorCount: (group.actorCount ?? reactors(group).length) + (item.actorCount ?? 1),
      };
      return [merged, ...list.filter((known) => known !== group)];
    }
  }
  return [item, ...list];
}

/** Appends an older page, leaving out items already listed. */
export function appendOlder(
  list: HearthNotification[],
  page: HearthNotification[],
): HearthNotification[] {
  const seen = new Set(list.map((item) => item.id));
  return [...list, ...page.filter((item) => !seen.has(item.id))];
}

/** The list with the given items (or all) marked read. */
export function markRead(
  list: HearthNotification[],
  ids: readonly string[] | "all",
): HearthNotification[] {
  return list.map((item) =>
    ids === "all" || ids.includes(item.id) ? { ...item, read: true } : item,
  );
}

/** What happened, in a sentence: "Anna and 3 others reacted to your comment". */
export function describeNotification(t: Translation, item: HearthNotification): string {
  const name = item.actor?.name ?? t.someone;
  switch (item.kind) {
    case "reply":
      return t.notifyReply(name);
    case "mention":
      return t.notifyMention(name);
    case "thread":
      return t.notifyThread(name, item.thread.title ?? item.thread.key);
    case "reaction": {
      const first = reactors(item)[0]?.name ?? name;
      const count = Math.max(item.actorCount ?? 1, 1);
      return t.notifyReaction(first, count - 1);
    }
    case "moderation":
      return t.notifyModeration(item.outcome ?? "");
    default:
      return t.notifyOther(name);
  }
}

/**
 * The comment's permalink on the host page (the thread's URL with `#hearth-comment-<id>`),
 * or null when the thread has no http(s) URL.
 */
export function notificationLink(item: HearthNotification, base?: string): string | null {
  const url =
    item.comment.url ??
    (item.thread.url
      ? `${item.thread.url.replace(/#.*$/, "")}#hearth-comment-${item.comment.id}`
      : null);
  if (!url) return null;
  try {
    const resolved = new URL(url, base);
    return /^https?:$/.test(resolved.protocol) ? resolved.href : null;
  } catch {
    return null;
  }
}

/** How many unread items the list shows (each grouped item counts once). */
export const unreadIn = (list: HearthNotification[]) => list.filter((item) => !item.read).length;
