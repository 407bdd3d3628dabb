import type { ModerationTranslation } from "./moderation-translation.ts";

export const moderationEn: ModerationTranslation = {
  moderation: "Moderation",
  moderatorsOnly: "Only moderators can see this. Sign in with a moderator account.",
  queue: "Queue",
  auditLog: "Audit log",
  queueLoading: "Loading…",
  queueEmpty: "Nothing waits for review. Well done.",
  auditEmpty: "No moderator actions yet.",
  filterReason: "Show",
  allReasons: "All reasons",
  queueReason: (reason) =>
    ({
      premoderation: "Pre-moderated thread",
      limited: "Limited member",
      screening: "Held by screening",
      word_filter: "Word filter",
      flags: "Flagged by members",
      signup: "New account",
      federation: "From the Fediverse",
    })[reason] ?? reason,
  flagReason: (reason) =>
    ({ spam: "Spam", abuse: "Abuse", off_topic: "Off-topic", other: "Other" })[reason] ?? reason,
  memberStatus: (status) =>
    ({ active: "Active", limited: "Limited", banned: "Banned" })[status] ?? status,
  commentStatus: (status) =>
    ({ published: "published", held: "held", deleted: "deleted", removed: "removed" })[status] ??
    status,
  heldCommentBy: (name) => `Held comment by ${name}`,
  newAccount: (name) => `New account ${name} awaits review`,
  aboutMember: (name) => `About ${name}`,
  inThread: (thread) => `In ${thread}`,
  replyTo: (name) => `Reply to ${name}:`,
  historySummary: (published, removed, held, flags) =>
    `History: ${published} published, ${removed} removed or deleted, ${held} held, ${flags} ${flags === 1 ? "flag" : "flags"} received`,
  flagsSummary: (list) => `Flags: ${list}`,
  screeningVerdict: (verdict, score) =>
    `Screening: ${({ allow: "allowed", review: "review", block: "blocked" })[verdict] ?? verdict} (score ${score})`,
  selectItem: (name) => `Select the item by ${name}`,
  selectAll: "Select all",
  selectedCount: (count) => `${count.toLocaleString("en")} selected`,
  shortcutsHint: "Shortcuts: j/k move, a approve, r remove, b ban, x select.",
  approve: "Approve",
  approveSelected: "Approve selected",
  remove: "Remove",
  removeSelected: "Remove selected",
  reject: "Reject",
  ban: "Ban",
  unban: "Unban",
  limit: "Limit",
  unlimit: "Lift limit",
  confirmRemove: "Remove this comment?",
  confirmReject: (name) => `Reject the account of ${name}?`,
  confirmBulkRemove: (count) =>
    `Remove ${count.toLocaleString("en")} selected ${count === 1 ? "item" : "items"}?`,
  confirmBan: (name) => `Ban ${name}?`,
  removeReason: "Reason (the author is told)",
  banReason: "Reason (optional)",
  banLength: "For how long",
  banDuration: (seconds) =>
    seconds === null
      ? "For good"
      : seconds % 86_400 === 0
        ? `${seconds / 86_400} ${seconds === 86_400 ? "day" : "days"}`
        : `${Math.round(seconds / 3600)} hours`,
  removeAllContent: "Also remove all their comments",
  someFailed: (count) =>
    `${count.toLocaleString("en")} ${count === 1 ? "item" : "items"} could not be changed. Reload and try again.`,
  member: "Member",
  close: "Close",
  memberSince: (date) => `member since ${date}`,
  bannedUntil: (date) => `banned until ${date}`,
  recentComments: "Recent comments",
  auditLine: (actor, action, target) => {
    const [, verb = action] = action.split(".");
    const verbs: Record<string, string> = {
      approve: "approved",
      remove: "removed",
      restore: "restored",
      pin: "pinned",
      unpin: "unpinned",
      ban: "banned",
      unban: "unbanned",
      limit: "limited",
      unlimit: "lifted the limit on",
      reject: "rejected",
      lock: "locked",
      unlock: "unlocked",
      premoderate: "pre-moderated",
      unpremoderate: "ended pre-moderation of",
    };
    return `${actor} ${verbs[verb] ?? action} ${target}`;
  },
  undo: "Undo",
  undoOf: (label) => `Undo: ${label}`,
  undone: "Undone.",
  announceApproved: "Approved.",
  announceRemoved: "Removed.",
  announceBanned: "Member banned.",
  announceBulkApproved: (count) => `${count.toLocaleString("en")} approved.`,
  announceBulkRemoved: (count) => `${count.toLocaleString("en")} removed.`,
  announceMemberUpdated: (name) => `${name} updated.`,
};
