import type { FederationBlocksTranslation } from "./federation-blocks-translation.ts";

export const federationBlocksDe: FederationBlocksTranslation = {
  heading: "Sperren für Instanzen und Konten",
  intro:
    "Sperren: Nichts geht dorthin, und nichts von dort wird angenommen. Einschränken: Ihre Antworten warten immer auf Prüfung.",
  federationOff:
    "Die Föderation ist auf diesem Server ausgeschaltet. Sperren, die Sie hier einrichten, gelten, sobald sie eingeschaltet ist.",
  loading: "Sperren werden geladen …",
  empty: "Keine Instanz und kein Konto ist gesperrt.",
  blocks: "Sperren",
  addHeading: "Sperre hinzufügen",
  target: "Instanz oder Konto",
  targetHint:
    "Ein Hostname wie mastodon.example oder die Adresse eines Kontos wie https://mastodon.example/users/jemand.",
  targetInvalid:
    "Geben Sie einen Hostnamen (mastodon.example) oder die Adresse eines Kontos (https://…) an.",
  scope: "Gilt für",
  scopeInstance: "Die ganze Instanz",
  scopeActor: "Nur dieses Konto",
  level: "Stufe",
  suspend: "Sperren",
  suspendHint: "nichts hin, nichts zurück",
  silence: "Einschränken",
  silenceHint: "Antworten warten auf Prüfung",
  reason: "Grund (nur für Moderatoren sichtbar)",
  add: "Sperre hinzufügen",
  adding: "Wird hinzugefügt …",
  levelName: (level) => ({ suspend: "Gesperrt", silence: "Eingeschränkt" })[level] ?? level,
  kindName: (kind) => ({ instance: "Instanz", actor: "Konto" })[kind] ?? kind,
  addedAgo: (when) => `hinzugefügt ${when}`,
  remove: "Aufheben",
  removeLabel: (target) => `Sperre für ${target} aufheben`,
  announceAdded: (target) => `Sperre für ${target} hinzugefügt.`,
  announceRemoved: (target) => `Sperre für ${target} aufgehoben.`,
};
