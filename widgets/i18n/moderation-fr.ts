import type { ModerationTranslation } from "./moderation-translation.ts";

/** French counts 0 and 1 as singular. */
const plural = (count: number, one: string, other: string) => (count <= 1 ? one : other);

export const moderationFr: ModerationTranslation = {
  moderation: "Modération",
  moderatorsOnly:
    "Réservé à la modération. Connectez-vous avec un compte de modérateur ou modératrice.",
  queue: "File d’attente",
  auditLog: "Journal",
  queueLoading: "Chargement…",
  queueEmpty: "Rien n’attend de validation. Bravo.",
  auditEmpty: "Aucune action de modération pour l’instant.",
  filterReason: "Afficher",
  allReasons: "Tous les motifs",
  queueReason: (reason) =>
    ({
      premoderation: "Discussion pré-modérée",
      limited: "Membre limité·e",
      screening: "Retenu par le filtrage",
      word_filter: "Filtre de mots",
      flags: "Signalé par des membres",
      signup: "Nouveau compte",
      federation: "Venu du Fédivers",
    })[reason] ?? reason,
  flagReason: (reason) =>
    ({ spam: "Spam", abuse: "Abus", off_topic: "Hors sujet", other: "Autre" })[reason] ?? reason,
  memberStatus: (status) =>
    ({ active: "Actif", limited: "Limité", banned: "Banni" })[status] ?? status,
  commentStatus: (status) =>
    ({ published: "publié", held: "retenu", deleted: "supprimé", removed: "retiré" })[status] ??
    status,
  heldCommentBy: (name) => `Commentaire retenu de ${name}`,
  newAccount: (name) => `Le nouveau compte ${name} attend une validation`,
  aboutMember: (name) => `À propos de ${name}`,
  inThread: (thread) => `Dans ${thread}`,
  replyTo: (name) => `Réponse à ${name} :`,
  historySummary: (published, removed, held, flags) =>
    `Historique : ${published} ${plural(published, "publié", "publiés")}, ${removed} ${plural(removed, "retiré ou supprimé", "retirés ou supprimés")}, ${held} ${plural(held, "retenu", "retenus")}, ${flags} ${plural(flags, "signalement reçu", "signalements reçus")}`,
  flagsSummary: (list) => `Signalements : ${list}`,
  screeningVerdict: (verdict, score) =>
    `Filtrage : ${({ allow: "accepté", review: "à examiner", block: "bloqué" })[verdict] ?? verdict} (score ${score})`,
  selectItem: (name) => `Sélectionner l’élément de ${name}`,
  selectAll: "Tout sélectionner",
  selectedCount: (count) =>
    `${count.toLocaleString("fr")} ${plural(count, "sélectionné", "sélectionnés")}`,
  shortcutsHint: "Raccourcis : j/k se déplacer, a approuver, r retirer, b bannir, x sélectionner.",
  approve: "Approuver",
  approveSelected: "Approuver la sélection",
  remove: "Retirer",
  removeSelected: "Retirer la sélection",
  reject: "Refuser",
  ban: "Bannir",
  unban: "Lever le bannissement",
  limit: "Limiter",
  unlimit: "Lever la limite",
  confirmRemove: "Retirer ce commentaire ?",
  confirmReject: (name) => `Refuser le compte de ${name} ?`,
  confirmBulkRemove: (count) =>
    `Retirer ${count.toLocaleString("fr")} ${plural(count, "élément sélectionné", "éléments sélectionnés")} ?`,
  confirmBan: (name) => `Bannir ${name} ?`,
  removeReason: "Motif (communiqué à l’auteur·e)",
  banReason: "Motif (facultatif)",
  banLength: "Durée",
  banDuration: (seconds) =>
    seconds === null
      ? "Définitivement"
      : seconds % 86_400 === 0
        ? `${seconds / 86_400} ${plural(seconds / 86_400, "jour", "jours")}`
        : `${Math.round(seconds / 3600)} heures`,
  removeAllContent: "Retirer aussi tous ses commentaires",
  someFailed: (count) =>
    `${count.toLocaleString("fr")} ${plural(count, "élément n’a pas pu être modifié", "éléments n’ont pas pu être modifiés")}. Rechargez et réessayez.`,
  member: "Membre",
  close: "Fermer",
  memberSince: (date) => `membre depuis le ${date}`,
  bannedUntil: (date) => `banni·e jusqu’au ${date}`,
  recentComments: "Commentaires récents",
  auditLine: (actor, action, target) => {
    const [, verb = action] = action.split(".");
    const verbs: Record<string, string> = {
      approve: "a approuvé",
      remove: "a retiré",
      restore: "a rétabli",
      pin: "a épinglé",
      unpin: "a désépinglé",
      ban: "a banni",
      unban: "a levé le bannissement de",
      limit: "a limité",
      unlimit: "a levé la limite de",
      reject: "a refusé",
      lock: "a fermé",
      unlock: "a rouvert",
      premoderate: "a activé la pré-modération de",
      unpremoderate: "a désactivé la pré-modération de",
    };
    return `${actor} ${verbs[verb] ?? action} ${target}`;
  },
  undo: "Annuler",
  undoOf: (label) => `Annuler : ${label}`,
  undone: "Annulé.",
  announceApproved: "Approuvé.",
  announceRemoved: "Retiré.",
  announceBanned: "Membre banni·e.",
  announceBulkApproved: (count) =>
    `${count.toLocaleString("fr")} ${plural(count, "approuvé", "approuvés")}.`,
  announceBulkRemoved: (count) =>
    `${count.toLocaleString("fr")} ${plural(count, "retiré", "retirés")}.`,
  announceMemberUpdated: (name) => `${name} mis·e à jour.`,
};
