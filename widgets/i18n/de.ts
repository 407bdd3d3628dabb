import type { Translation } from "./translation.ts";

const reactions: Record<string, string> = {
  like: "Gefällt mir",
  love: "Herz",
  laugh: "Lustig",
  insightful: "Aufschlussreich",
};

export const de: Translation = {
  $code: "de",

  comments: "Kommentare",
  loading: "Kommentare werden geladen …",
  empty: "Noch keine Kommentare. Beginne das Gespräch.",
  loadFailed: "Die Kommentare konnten nicht geladen werden.",
  retry: "Erneut versuchen",
  signedOut: "Melde dich an, um mitzudiskutieren.",
  signedInAs: (name) => `Angemeldet als ${name}`,
  locked: "Diese Diskussion ist für neue Kommentare geschlossen.",
  commentCount: (count) =>
    `${count.toLocaleString("de")} ${count === 1 ? "Kommentar" : "Kommentare"}`,

  sortLabel: "Sortieren nach",
  sortOldest: "Älteste",
  sortNewest: "Neueste",
  sortTop: "Beliebteste",
  loadMore: "Weitere Kommentare laden",
  loadingMore: "Weitere Kommentare werden geladen …",
  showMoreReplies: (count) =>
    `${count.toLocaleString("de")} ${count === 1 ? "weitere Antwort" : "weitere Antworten"} anzeigen`,
  loadingReplies: "Antworten werden geladen …",
  linkedComment: "Verlinkter Kommentar",

  membersOnly: "Diese Diskussion ist für Mitglieder. Melde dich an, um sie zu lesen.",
  tierHeading: "Werde Mitglied dieser Stufe, um mitzumachen",
  tierReadOnly: "Du kannst mitlesen; kommentieren können hier Mitglieder einer anderen Stufe.",
  tierNoRead: "Diese Diskussion ist für Mitglieder einer anderen Stufe.",
  tierLink: "Mitgliedschaften ansehen",

  composerLabel: "Kommentar schreiben",
  replyComposerLabel: (name) => `Antwort an ${name}`,
  editComposerLabel: "Kommentar bearbeiten",
  placeholder: "Was denkst du?",
  markdownHint: "**fett**, _kursiv_, `Code`, > Zitat, [Link](URL)",
  shortcutHint: (modifier) => `${modifier}+Enter zum Senden`,
  charactersLeft: (left) => `Noch ${left.toLocaleString("de")} Zeichen`,
  charactersOver: (over) => `${over.toLocaleString("de")} Zeichen zu viel`,
  post: "Kommentar senden",
  postReply: "Antwort senden",
  save: "Speichern",
  cancel: "Abbrechen",
  posting: "Wird gesendet …",
  saving: "Wird gespeichert …",

  reply: "Antworten",
  edit: "Bearbeiten",
  delete: "Löschen",
  confirmDelete: "Diesen Kommentar löschen?",
  confirmDeleteAction: "Ja, löschen",
  deleted: "Kommentar gelöscht",
  removed: "Kommentar von der Moderation entfernt",
  awaitingReview: "Wartet auf Freigabe",
  pinned: "Angeheftet",
  edited: "(bearbeitet)",
  replyingTo: (handle) => `antwortet @${handle}`,
  permalink: (name) => `Link zum Kommentar von ${name}`,
  justNow: "gerade eben",
  reactionsLabel: "Reaktionen",
  reaction: (kind) => reactions[kind] ?? kind,
  reactionCount: (label, count) => `${label}: ${count.toLocaleString("de")}`,

  announcePosted: "Dein Kommentar wurde veröffentlicht.",
  announceHeld: "Dein Kommentar wurde gesendet und wartet auf Freigabe.",
  announceEdited: "Dein Kommentar wurde aktualisiert.",
  announceDeleted: "Der Kommentar wurde gelöscht.",
  announceLoaded: (count) =>
    `${count.toLocaleString("de")} weitere ${count === 1 ? "Kommentar" : "Kommentare"} geladen.`,
  announceRepliesLoaded: (count) =>
    `${count.toLocaleString("de")} ${count === 1 ? "weitere Antwort" : "weitere Antworten"} angezeigt.`,

  notifications: "Benachrichtigungen",
  notificationsButton: (unread) =>
    unread > 0
      ? `Benachrichtigungen, ${unread.toLocaleString("de")} ungelesen`
      : "Benachrichtigungen",
  notificationsLoading: "Wird geladen …",
  notificationsEmpty:
    "Noch keine Benachrichtigungen. Antworten, Erwähnungen und Reaktionen erscheinen hier.",
  showOlder: "Ältere anzeigen",
  markRead: "Als gelesen markieren",
  markReadOf: (text) => `Als gelesen markieren: ${text}`,
  markAllRead: "Alle als gelesen markieren",
  allMarkedRead: "Alle Benachrichtigungen sind als gelesen markiert.",
  newNotification: (text) => `Neue Benachrichtigung: ${text}`,
  someone: "Jemand",
  notifyReply: (name) => `${name} hat auf deinen Kommentar geantwortet`,
  notifyMention: (name) => `${name} hat dich erwähnt`,
  notifyThread: (name, thread) => `${name} hat in „${thread}“ kommentiert`,
  notifyReaction: (name, others) =>
    others > 0
      ? `${name} und ${others.toLocaleString("de")} ${others === 1 ? "weitere Person haben" : "weitere haben"} auf deinen Kommentar reagiert`
      : `${name} hat auf deinen Kommentar reagiert`,
  notifyModeration: (outcome) =>
    ({
      approved: "Dein Kommentar wurde freigegeben",
      removed: "Dein Kommentar wurde von der Moderation entfernt",
      restored: "Dein Kommentar wurde wiederhergestellt",
      pinned: "Dein Kommentar wurde angeheftet",
    })[outcome] ?? "Die Moderation hat deinen Kommentar geprüft",
  notifyOther: (name) => `${name} war bei deinem Kommentar aktiv`,
  notificationSettings: "Benachrichtigungseinstellungen",
  backToNotifications: "Zurück zu den Benachrichtigungen",
  emailMeAbout: "E-Mail bei",
  notificationKinds: {
    reply: "Antworten auf meine Kommentare",
    mention: "Erwähnungen",
    thread: "Neuen Kommentaren in Diskussionen, denen ich folge",
    reaction: "Reaktionen auf meine Kommentare",
    moderation: "Moderation meiner Kommentare",
  },
  emailModes: { immediate: "Sofort", digest: "Tägliche Zusammenfassung", off: "Aus" },
  preferencesSaved: "Gespeichert.",
  mutedMembers: "Stummgeschaltete Mitglieder",
  noMutedMembers: "Du hast niemanden stummgeschaltet.",
  unmute: (name) => `${name} nicht mehr stummschalten`,
  unmuted: (name) => `${name} ist nicht mehr stummgeschaltet.`,

  errors: {
    invalid_json: "Die Anfrage konnte nicht gelesen werden. Bitte versuche es erneut.",
    validation_failed: "Etwas an der Anfrage war ungültig.",
    invalid_thread_key: "Diese Diskussion hat einen ungültigen Namen.",
    unauthenticated: "Bitte melde dich an, um mitzumachen.",
    token_invalid: "Deine Anmeldung konnte nicht geprüft werden. Bitte melde dich erneut an.",
    token_expired: "Deine Anmeldung ist abgelaufen. Bitte melde dich erneut an.",
    forbidden: "Das darfst du leider nicht.",
    edit_window_closed: "Dieser Kommentar kann nicht mehr bearbeitet werden.",
    thread_locked: "Diese Diskussion ist für neue Kommentare geschlossen.",
    banned: "Dein Konto kann nicht an Diskussionen teilnehmen.",
    tier_required: "Deine Mitgliedschaft umfasst diese Diskussion nicht.",
    not_found: "Das wurde nicht gefunden.",
    thread_not_found: "Diese Diskussion gibt es noch nicht.",
    comment_not_found: "Diesen Kommentar gibt es nicht mehr.",
    conflict: "Inzwischen hat sich etwas geändert. Bitte versuche es erneut.",
    payload_too_large: "Das ist zu lang zum Senden.",
    comment_empty: "Schreib etwas, bevor du sendest.",
    comment_too_long: "Dein Kommentar ist zu lang.",
    invalid_parent: "Der Kommentar, auf den du antwortest, ist nicht mehr verfügbar.",
    invalid_reaction: "Diese Reaktion gibt es nicht.",
    invalid_settings: "Diese Einstellungen für die Diskussion sind ungültig.",
    unknown_key:
      "Der Anmeldeschlüssel dieser Website ist dem Kommentar-Server nicht bekannt. Bitte gib der Betreiberin oder dem Betreiber Bescheid.",
    jwks_unreachable:
      "Der Kommentar-Server konnte deine Anmeldung bei dieser Website nicht prüfen. Bitte versuche es später erneut.",
    weak_key:
      "Diese Website meldet Mitglieder mit einem zu schwachen Schlüssel an. Bitte gib der Betreiberin oder dem Betreiber Bescheid.",
    issuer_mismatch:
      "Deine Anmeldung stammt von einer anderen Website, als der Kommentar-Server erwartet. Bitte gib der Betreiberin oder dem Betreiber Bescheid.",
    invalid_preferences:
      "Diese Benachrichtigungseinstellungen konnten nicht gespeichert werden. Bitte prüfe sie und versuche es erneut.",
    ticket_invalid: "Live-Aktualisierungen konnten nicht starten. Bitte lade die Seite neu.",
    ticket_expired:
      "Live-Aktualisierungen sind pausiert. Bitte lade die Seite neu, um sie fortzusetzen.",
    comment_rejected:
      "Dieser Kommentar enthält Wörter, die hier nicht erlaubt sind. Bitte formuliere ihn um.",
    signup_blocked:
      "Dieses Konto kann nicht an der Diskussion teilnehmen. Wenn das ein Irrtum ist, wende dich an die Website.",
    invalid_filter: "Dieses Filtermuster ist kein gültiger regulärer Ausdruck.",
    unsafe_filter:
      "Dieses Filtermuster könnte bei manchen Kommentaren sehr lange brauchen. Bitte vereinfachen Sie es.",
    token_replayed: "Diese Anmeldung wurde schon verwendet. Bitte lade die Seite neu.",
    token_url_failed:
      "Diese Website konnte deine Anmeldung nicht bestätigen. Bitte lade die Seite neu.",
    rate_limited: "Du schreibst sehr schnell. Warte bitte einen Moment und versuche es erneut.",
    internal: "Auf dem Server ist etwas schiefgegangen. Bitte versuche es erneut.",
    unavailable:
      "Die Kommentare sind kurz nicht erreichbar. Versuche es in ein paar Sekunden erneut.",
    request_timeout:
      "Das Senden hat zu lange gedauert. Prüfe deine Verbindung und versuche es erneut.",
    headers_too_large: "Dein Browser hat zu viel an den Server gesendet. Lade die Seite bitte neu.",
    cross_site: "Melde dich auf den Seiten dieser Website an, um mitzudiskutieren.",
  },
  networkError:
    "Der Kommentar-Server ist nicht erreichbar. Prüfe deine Verbindung und versuche es erneut.",
  unknownError: (message) => `Etwas ist schiefgegangen: ${message}`,
};
