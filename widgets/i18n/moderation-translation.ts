/**
 * The strings of `<hearth-moderation>`, kept apart from the others because the moderation
 * desk is loaded on its own (only moderators need it). Each locale implements all of it.
 */
export interface ModerationTranslation {
  moderation: string;
  moderatorsOnly: string;
  queue: string;
  auditLog: string;
  queueLoading: string;
  queueEmpty: string;
  auditEmpty: string;
  filterReason: string;
  allReasons: string;
  /** `premoderation`, `limited`, `screening`, `word_filter`, `flags`, `signup`. */
  queueReason: (reason: string) => string;
  flagReason: (reason: string) => string;
  memberStatus: (status: string) => string;
  commentStatus: (status: string) => string;
  heldCommentBy: (name: string) => string;
  newAccount: (name: string) => string;
  aboutMember: (name: string) => string;
  inThread: (thread: string) => string;
  replyTo: (name: string) => string;
  historySummary: (published: number, removed: number, held: number, flags: number) => string;
  flagsSummary: (list: string) => string;
  screeningVerdict: (verdict: string, score: number) => string;
  selectItem: (name: string) => string;
  selectAll: string;
  selectedCount: (count: number) => string;
  shortcutsHint: string;
  approve: string;
  approveSelected: string;
  remove: string;
  removeSelected: string;
  reject: string;
  ban: string;
  unban: string;
  limit: string;
  unlimit: string;
  confirmRemove: string;
  confirmReject: (name: string) => string;
  confirmBulkRemove: (count: number) => string;
  confirmBan: (name: string) => string;
  removeReason: string;
  banReason: string;
  banLength: string;
  /** Seconds, or null for good. */
  banDuration: (seconds: number | null) => string;
  removeAllContent: string;
  someFailed: (count: number) => string;
  member: string;
  close: string;
  memberSince: (date: string) => string;
  bannedUntil: (date: string) => string;
  recentComments: string;
  /** One audit entry: who did what (`comment.approve`, `member.ban`, …) to what. */
  auditLine: (actor: string, action: string, target: string) => string;
  undo: string;
  undoOf: (label: string) => string;
  undone: string;
  announceApproved: string;
  announceRemoved: string;
  announceBanned: string;
  announceBulkApproved: (count: number) => string;
  announceBulkRemoved: (count: number) => string;
  announceMemberUpdated: (name: string) => string;
}
