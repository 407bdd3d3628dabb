import type { Translation } from "./translation.ts";

const reactions: Record<string, string> = {
  like: "J’aime",
  love: "J’adore",
  laugh: "Drôle",
  insightful: "Éclairant",
};

/** French counts 0 and 1 as singular. */
const plural = (count: number, one: string, other: string) => (count <= 1 ? one : other);

export const fr: Translation = {
  $code: "fr",

  comments: "Commentaires",
  loading: "Chargement des commentaires…",
  empty: "Aucun commentaire pour l’instant. Lancez la conversation.",
  loadFailed: "Les commentaires n’ont pas pu être chargés.",
  retry: "Réessayer",
  signedOut: "Connectez-vous pour participer à la conversation.",
  signedInAs: (name) => `Connecté·e en tant que ${name}`,
  locked: "Cette discussion est fermée aux nouveaux commentaires.",
  commentCount: (count) =>
    `${count.toLocaleString("fr")} ${plural(count, "commentaire", "commentaires")}`,

  sortLabel: "Trier par",
  sortOldest: "Plus anciens",
  sortNewest: "Plus récents",
  sortTop: "Populaires",
  loadMore: "Afficher plus de commentaires",
  loadingMore: "Chargement d’autres commentaires…",
  showMoreReplies: (count) =>
    `Afficher ${count.toLocaleString("fr")} ${plural(count, "autre réponse", "autres réponses")}`,
  loadingReplies: "Chargement des réponses…",
  linkedComment: "Commentaire lié",

  membersOnly: "Cette discussion est réservée aux membres. Connectez-vous pour la lire.",
  tierHeading: "Rejoignez cette formule pour participer",
  tierReadOnly:
    "Vous pouvez lire la discussion ; les commentaires sont réservés aux membres d’une autre formule.",
  tierNoRead: "Cette discussion est réservée aux membres d’une autre formule.",
  tierLink: "Voir les formules d’adhésion",

  composerLabel: "Écrire un commentaire",
  replyComposerLabel: (name) => `Répondre à ${name}`,
  editComposerLabel: "Modifier votre commentaire",
  placeholder: "Partagez votre avis…",
  markdownHint: "**gras**, _italique_, `code`, > citation, [lien](url)",
  shortcutHint: (modifier) => `${modifier}+Entrée pour envoyer`,
  charactersLeft: (left) =>
    `${left.toLocaleString("fr")} ${plural(left, "caractère restant", "caractères restants")}`,
  charactersOver: (over) =>
    `${over.toLocaleString("fr")} ${plural(over, "caractère de trop", "caractères de trop")}`,
  post: "Publier le commentaire",
  postReply: "Publier la réponse",
  save: "Enregistrer",
  cancel: "Annuler",
  posting: "Publication…",
  saving: "Enregistrement…",

  reply: "Répondre",
  edit: "Modifier",
  delete: "Supprimer",
  confirmDelete: "Supprimer ce commentaire ?",
  confirmDeleteAction: "Oui, supprimer",
  deleted: "Commentaire supprimé",
  removed: "Commentaire retiré par la modération",
  awaitingReview: "En attente de validation",
  pinned: "Épinglé",
  edited: "(modifié)",
  replyingTo: (handle) => `en réponse à @${handle}`,
  permalink: (name) => `Lien vers le commentaire de ${name}`,
  justNow: "à l’instant",
  reactionsLabel: "Réactions",
  reaction: (kind) => reactions[kind] ?? kind,
  reactionCount: (label, count) => `${label} : ${count.toLocaleString("fr")}`,

  announcePosted: "Votre commentaire a été publié.",
  announceHeld: "Votre commentaire a été envoyé et attend une validation.",
  announceEdited: "Votre commentaire a été mis à jour.",
  announceDeleted: "Le commentaire a été supprimé.",
  announceLoaded: (count) =>
    `${count.toLocaleString("fr")} ${plural(count, "commentaire chargé", "commentaires chargés")}.`,
  announceRepliesLoaded: (count) =>
    `${count.toLocaleString("fr")} ${plural(count, "réponse affichée", "réponses affichées")}.`,

  notifications: "Notifications",
  notificationsButton: (unread) =>
    unread > 0
      ? `Notifications, ${unread.toLocaleString("fr")} ${plural(unread, "non lue", "non lues")}`
      : "Notifications",
  notificationsLoading: "Chargement…",
  notificationsEmpty:
    "Aucune notification pour l’instant. Les réponses, mentions et réactions apparaîtront ici.",
  showOlder: "Afficher les plus anciennes",
  markRead: "Marquer comme lue",
  markReadOf: (text) => `Marquer comme lue : ${text}`,
  markAllRead: "Tout marquer comme lu",
  allMarkedRead: "Toutes les notifications sont marquées comme lues.",
  newNotification: (text) => `Nouvelle notification : ${text}`,
  someone: "Quelqu’un",
  notifyReply: (name) => `${name} a répondu à votre commentaire`,
  notifyMention: (name) => `${name} vous a mentionné·e`,
  notifyThread: (name, thread) => `${name} a commenté « ${thread} »`,
  notifyReaction: (name, others) =>
    others > 0
      ? `${name} et ${others.toLocaleString("fr")} ${plural(others, "autre personne ont", "autres personnes ont")} réagi à votre commentaire`
      : `${name} a réagi à votre commentaire`,
  notifyModeration: (outcome) =>
    ({
      approved: "Votre commentaire a été approuvé",
      removed: "Votre commentaire a été retiré par la modération",
      restored: "Votre commentaire a été rétabli",
      pinned: "Votre commentaire a été épinglé",
    })[outcome] ?? "La modération a examiné votre commentaire",
  notifyOther: (name) => `${name} a réagi à votre activité`,
  notificationSettings: "Réglages des notifications",
  backToNotifications: "Retour aux notifications",
  emailMeAbout: "M’envoyer un e-mail pour",
  notificationKinds: {
    reply: "Les réponses à mes commentaires",
    mention: "Les mentions de mon nom",
    thread: "Les nouveaux commentaires des discussions que je suis",
    reaction: "Les réactions à mes commentaires",
    moderation: "La modération de mes commentaires",
  },
  emailModes: { immediate: "Immédiatement", digest: "Résumé quotidien", off: "Jamais" },
  preferencesSaved: "Enregistré.",
  mutedMembers: "Membres masqués",
  noMutedMembers: "Vous n’avez masqué personne.",
  unmute: (name) => `Ne plus masquer ${name}`,
  unmuted: (name) => `${name} n’est plus masqué·e.`,

  errors: {
    invalid_json: "La requête n’a pas pu être lue. Veuillez réessayer.",
    validation_failed: "Un élément de la requête n’est pas valide.",
    invalid_thread_key: "Cette discussion porte un nom invalide.",
    unauthenticated: "Connectez-vous pour participer.",
    token_invalid: "Votre connexion n’a pas pu être vérifiée. Reconnectez-vous.",
    token_expired: "Votre connexion a expiré. Reconnectez-vous.",
    forbidden: "Vous n’avez pas le droit de faire cela.",
    edit_window_closed: "Ce commentaire ne peut plus être modifié.",
    thread_locked: "Cette discussion est fermée aux nouveaux commentaires.",
    banned: "Votre compte ne peut pas participer aux discussions.",
    tier_required: "Votre formule d’adhésion n’inclut pas cette discussion.",
    not_found: "Élément introuvable.",
    thread_not_found: "Cette discussion n’existe pas encore.",
    comment_not_found: "Ce commentaire n’existe plus.",
    conflict: "Quelque chose a changé entre-temps. Veuillez réessayer.",
    payload_too_large: "C’est trop long pour être envoyé.",
    comment_empty: "Écrivez quelque chose avant de publier.",
    comment_too_long: "Votre commentaire est trop long.",
    invalid_parent: "Le commentaire auquel vous répondez n’est plus disponible.",
    invalid_reaction: "Cette réaction n’est pas disponible.",
    invalid_settings: "Ces réglages de discussion ne sont pas valides.",
    unknown_key:
      "La clé de connexion de ce site est inconnue du serveur de commentaires. Prévenez le responsable du site.",
    jwks_unreachable:
      "Le serveur de commentaires n’a pas pu vérifier votre connexion auprès de ce site. Réessayez plus tard.",
    weak_key:
      "Ce site connecte ses membres avec une clé trop faible. Prévenez le responsable du site.",
    issuer_mismatch:
      "Votre connexion provient d’un autre site que celui attendu par le serveur de commentaires. Prévenez le responsable du site.",
    invalid_preferences:
      "Ces réglages de notification n’ont pas pu être enregistrés. Vérifiez-les et réessayez.",
    ticket_invalid: "Les mises à jour en direct n’ont pas pu démarrer. Veuillez recharger la page.",
    ticket_expired:
      "Les mises à jour en direct sont en pause. Rechargez la page pour les reprendre.",
    comment_rejected: "Ce commentaire contient des mots interdits ici. Merci de le reformuler.",
    signup_blocked:
      "Ce compte ne peut pas rejoindre la discussion. S’il s’agit d’une erreur, contactez le site.",
    invalid_filter: "Ce motif de filtre n’est pas une expression régulière valide.",
    unsafe_filter:
      "Ce motif de filtre pourrait prendre très longtemps sur certains commentaires. Merci de le simplifier.",
    token_replayed: "Cette connexion a déjà été utilisée. Rechargez la page.",
    token_url_failed: "Ce site n’a pas pu confirmer votre connexion. Rechargez la page.",
    rate_limited: "Vous publiez très vite. Patientez un instant puis réessayez.",
    internal: "Une erreur est survenue sur le serveur. Veuillez réessayer.",
    unavailable:
      "Les commentaires sont brièvement indisponibles. Réessayez dans quelques secondes.",
    request_timeout: "L’envoi a pris trop de temps. Vérifiez votre connexion puis réessayez.",
    headers_too_large: "Votre navigateur a envoyé trop de données au serveur. Rechargez la page.",
    cross_site: "Connectez-vous depuis les pages de ce site pour participer à la discussion.",
  },
  networkError:
    "Le serveur des commentaires est injoignable. Vérifiez votre connexion et réessayez.",
  unknownError: (message) => `Une erreur est survenue : ${message}`,
};
