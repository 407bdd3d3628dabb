import type { ModerationTranslation } from "./moderation-translation.ts";

export const moderationDe: ModerationTranslation = {
  moderation: "Moderation",
  moderatorsOnly: "Nur für die Moderation. Melde dich mit einem Moderationskonto an.",
  queue: "Warteschlange",
  auditLog: "Protokoll",
  queueLoading: "Wird geladen …",
  queueEmpty: "Nichts wartet auf Prüfung. Gut gemacht.",
  auditEmpty: "Noch keine Moderationsaktionen.",
  filterReason: "Anzeigen",
  allReasons: "Alle Gründe",
  queueReason: (reason) =>
    ({
      premoderation: "Vorab moderierte Diskussion",
      limited: "Eingeschränktes Mitglied",
      screening: "Von der Prüfung zurückgehalten",
      word_filter: "Wortfilter",
      flags: "Von Mitgliedern gemeldet",
      signup: "Neues Konto",
      federation: "Aus dem Fediverse",
    })[reason] ?? reason,
  flagReason: (reason) =>
    ({ spam: "Spam", abuse: "Missbrauch", off_topic: "Themenfremd", other: "Anderes" })[reason] ??
    reason,
  memberStatus: (status) =>
    ({ active: "Aktiv", limited: "Eingeschränkt", banned: "Gesperrt" })[status] ?? status,
  commentStatus: (status) =>
    ({
      published: "veröffentlicht",
      held: "zurückgehalten",
      deleted: "gelöscht",
      removed: "entfernt",
    })[status] ?? status,
  heldCommentBy: (name) => `Zurückgehaltener Kommentar von ${name}`,
  newAccount: (name) => `Neues Konto ${name} wartet auf Prüfung`,
  aboutMember: (name) => `Über ${name}`,
  inThread: (thread) => `In ${thread}`,
  replyTo: (name) => `Antwort an ${name}:`,
  historySummary: (published, removed, held, flags) =>
    `Verlauf: ${published} veröffentlicht, ${removed} entfernt oder gelöscht, ${held} zurückgehalten, ${flags} ${flags === 1 ? "Meldung" : "Meldungen"} erhalten`,
  flagsSummary: (list) => `Meldungen: ${list}`,
  screeningVerdict: (verdict, score) =>
    `Prüfung: ${({ allow: "zugelassen", review: "prüfen", block: "blockiert" })[verdict] ?? verdict} (Punkte ${score})`,
  selectItem: (name) => `Eintrag von ${name} auswählen`,
  selectAll: "Alle auswählen",
  selectedCount: (count) => `${count.toLocaleString("de")} ausgewählt`,
  shortcutsHint: "Tastenkürzel: j/k bewegen, a freigeben, r entfernen, b sperren, x auswählen.",
  approve: "Freigeben",
  approveSelected: "Auswahl freigeben",
  remove: "Entfernen",
  removeSelected: "Auswahl entfernen",
  reject: "Ablehnen",
  ban: "Sperren",
  unban: "Entsperren",
  limit: "Einschränken",
  unlimit: "Einschränkung aufheben",
  confirmRemove: "Diesen Kommentar entfernen?",
  confirmReject: (name) => `Das Konto von ${name} ablehnen?`,
  confirmBulkRemove: (count) =>
    `${count.toLocaleString("de")} ${count === 1 ? "ausgewählten Eintrag" : "ausgewählte Einträge"} entfernen?`,
  confirmBan: (name) => `${name} sperren?`,
  removeReason: "Grund (wird dem Mitglied mitgeteilt)",
  banReason: "Grund (optional)",
  banLength: "Wie lange",
  banDuration: (seconds) =>
    seconds === null
      ? "Dauerhaft"
      : seconds % 86_400 === 0
        ? `${seconds / 86_400} ${seconds === 86_400 ? "Tag" : "Tage"}`
        : `${Math.round(seconds / 3600)} Stunden`,
  removeAllContent: "Auch alle Kommentare des Mitglieds entfernen",
  someFailed: (count) =>
    `${count.toLocaleString("de")} ${count === 1 ? "Eintrag konnte" : "Einträge konnten"} nicht geändert werden. Lade neu und versuche es erneut.`,
  member: "Mitglied",
  close: "Schließen",
  memberSince: (date) => `Mitglied seit ${date}`,
  bannedUntil: (date) => `gesperrt bis ${date}`,
  recentComments: "Letzte Kommentare",
  auditLine: (actor, action, target) => {
    const [, verb = action] = action.split(".");
    const verbs: Record<string, string> = {
      approve: "hat freigegeben:",
      remove: "hat entfernt:",
      restore: "hat wiederhergestellt:",
      pin: "hat angeheftet:",
      unpin: "hat losgelöst:",
      ban: "hat gesperrt:",
      unban: "hat entsperrt:",
      limit: "hat eingeschränkt:",
      unlimit: "hat die Einschränkung aufgehoben:",
      reject: "hat abgelehnt:",
      lock: "hat geschlossen:",
      unlock: "hat geöffnet:",
      premoderate: "hat die Vorab-Moderation eingeschaltet:",
      unpremoderate: "hat die Vorab-Moderation ausgeschaltet:",
    };
    return `${actor} ${verbs[verb] ?? action} ${target}`;
  },
  undo: "Rückgängig",
  undoOf: (label) => `Rückgängig machen: ${label}`,
  undone: "Rückgängig gemacht.",
  announceApproved: "Freigegeben.",
  announceRemoved: "Entfernt.",
  announceBanned: "Mitglied gesperrt.",
  announceBulkApproved: (count) => `${count.toLocaleString("de")} freigegeben.`,
  announceBulkRemoved: (count) => `${count.toLocaleString("de")} entfernt.`,
  announceMemberUpdated: (name) => `${name} aktualisiert.`,
};
