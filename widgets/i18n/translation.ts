import type { EmailMode, ErrorCode, NotificationKind } from "../types.ts";

/**
 * Every user-facing string of the widgets. Each locale implements all of it, so a missing
 * key is a type error. Strings that depend on a number or a name are functions.
 */
export interface Translation {
  /** BCP 47 tag used for Intl formatting. */
  $code: string;

  // Thread states
  comments: string;
  loading: string;
  empty: string;
  loadFailed: string;
  retry: string;
  signedOut: string;
  signedInAs: (name: string) => string;
  locked: string;
  commentCount: (count: number) => string;

  // Sorting and paging
  sortLabel: string;
  sortOldest: string;
  sortNewest: string;
  sortTop: string;
  loadMore: string;
  loadingMore: string;
  showMoreReplies: (count: number) => string;
  loadingReplies: string;
  linkedComment: string;

  // Access
  membersOnly: string;
  tierHeading: string;
  tierReadOnly: string;
  tierNoRead: string;
  tierLink: string;

  // Composer
  composerLabel: string;
  replyComposerLabel: (name: string) => string;
  editComposerLabel: string;
  placeholder: string;
  markdownHint: string;
  shortcutHint: (modifier: string) => string;
  charactersLeft: (left: number) => string;
  charactersOver: (over: number) => string;
  post: string;
  postReply: string;
  save: string;
  cancel: string;
  posting: string;
  saving: string;

  // A comment
  reply: string;
  edit: string;
  delete: string;
  confirmDelete: string;
  confirmDeleteAction: string;
  deleted: string;
  removed: string;
  awaitingReview: string;
  pinned: string;
  edited: string;
  replyingTo: (handle: string) => string;
  permalink: (name: string) => string;
  justNow: string;
  reactionsLabel: string;
  reaction: (kind: string) => string;
  reactionCount: (label: string, count: number) => string;

  // Announcements for screen readers
  announcePosted: string;
  announceHeld: string;
  announceEdited: string;
  announceDeleted: string;
  announceLoaded: (count: number) => string;
  announceRepliesLoaded: (count: number) => string;

  // Notifications
  notifications: string;
  notificationsButton: (unread: number) => string;
  notificationsLoading: string;
  notificationsEmpty: string;
  showOlder: string;
  markRead: string;
  markReadOf: (text: string) => string;
  markAllRead: string;
  allMarkedRead: string;
  newNotification: (text: string) => string;
  someone: string;
  notifyReply: (name: string) => string;
  notifyMention: (name: string) => string;
  notifyThread: (name: string, thread: string) => string;
  /** "Anna reacted" / "Anna and 3 others reacted". */
  notifyReaction: (name: string, others: number) => string;
  /** Outcome: `approved`, `removed`, `restored`, … */
  notifyModeration: (outcome: string) => string;
  notifyOther: (name: string) => string;
  notificationSettings: string;
  backToNotifications: string;
  emailMeAbout: string;
  notificationKinds: Record<NotificationKind, string>;
  emailModes: Record<EmailMode, string>;
  preferencesSaved: string;
  mutedMembers: string;
  noMutedMembers: string;
  unmute: (name: string) => string;
  unmuted: (name: string) => string;

  // Errors
  errors: Record<ErrorCode, string>;
  networkError: string;
  unknownError: (message: string) => string;
}
