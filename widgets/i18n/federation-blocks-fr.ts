import type { FederationBlocksTranslation } from "./federation-blocks-translation.ts";

export const federationBlocksFr: FederationBlocksTranslation = {
  heading: "Instances et comptes bloqués",
  intro:
    "Suspendre : rien ne part vers eux et rien de leur part n’est accepté. Limiter : leurs réponses attendent toujours une validation.",
  federationOff:
    "La fédération est désactivée sur ce serveur. Les blocages définis ici s’appliqueront dès qu’elle sera activée.",
  loading: "Chargement des blocages…",
  empty: "Aucune instance ni aucun compte n’est bloqué.",
  blocks: "Blocages",
  addHeading: "Ajouter un blocage",
  target: "Instance ou compte",
  targetHint:
    "Un nom d’hôte comme mastodon.example, ou l’adresse d’un compte comme https://mastodon.example/users/quelquun.",
  targetInvalid: "Indiquez un nom d’hôte (mastodon.example) ou l’adresse d’un compte (https://…).",
  scope: "Bloquer",
  scopeInstance: "Toute l’instance",
  scopeActor: "Seulement ce compte",
  level: "Niveau",
  suspend: "Suspendre",
  suspendHint: "rien n’entre, rien ne sort",
  silence: "Limiter",
  silenceHint: "les réponses attendent une validation",
  reason: "Motif (visible des seuls modérateurs)",
  add: "Ajouter le blocage",
  adding: "Ajout…",
  levelName: (level) => ({ suspend: "Suspendu", silence: "Limité" })[level] ?? level,
  kindName: (kind) => ({ instance: "Instance", actor: "Compte" })[kind] ?? kind,
  addedAgo: (when) => `ajouté ${when}`,
  remove: "Retirer",
  removeLabel: (target) => `Retirer le blocage de ${target}`,
  announceAdded: (target) => `Blocage de ${target} ajouté.`,
  announceRemoved: (target) => `Blocage de ${target} retiré.`,
};
