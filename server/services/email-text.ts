/** The words of notification emails in English, German and French. */
import type { NotificationKind } from "../../db/schema.ts";

export type MailLocale = "en" | "de" | "fr";

export interface MailText {
  subject: Record<NotificationKind, (who: string, thread: string) => string>;
  line: Record<NotificationKind, (who: string, thread: string) => string>;
  outcome: Record<string, string>;
  digestSubject: (count: number) => string;
  digestIntro: (count: number) => string;
  open: string;
  footer: string;
  unsubscribe: string;
  someone: string;
  aThread: string;
}

const en: MailText = {
  subject: {
    reply: (who) => `${who} replied to your comment`,
    mention: (who) => `${who} mentioned you`,
    thread: (who, thread) => `${who} commented on ${thread}`,
    reaction: (who) => `${who} reacted to your comment`,
    moderation: () => "An update on your comment",
  },
  line: {
    reply: (who, thread) => `${who} replied to your comment on ${thread}:`,
    mention: (who, thread) => `${who} mentioned you on ${thread}:`,
    thread: (who, thread) => `${who} commented on ${thread}, which you follow:`,
    reaction: (who, thread) => `${who} reacted to your comment on ${thread}:`,
    moderation: (_who, thread) => `A moderator reviewed your comment on ${thread}.`,
  },
  outcome: {
    removed: "It was removed.",
    approved: "It was approved and is now visible to everyone.",
    restored: "It was restored.",
  },
  digestSubject: (n) => `${n} new ${n === 1 ? "comment" : "comments"} in threads you follow`,
  digestIntro: (n) =>
    `Here ${n === 1 ? "is what" : `are the ${n} comments that`} happened in threads you follow:`,
  open: "Open the comment",
  footer: "You receive this email because of your notification settings.",
  unsubscribe: "Unsubscribe from these emails",
  someone: "Someone",
  aThread: "a discussion",
};

const de: MailText = {
  subject: {
    reply: (who) => `${who} hat auf deinen Kommentar geantwortet`,
    mention: (who) => `${who} hat dich erwähnt`,
    thread: (who, thread) => `${who} hat in ${thread} kommentiert`,
    reaction: (who) => `${who} hat auf deinen Kommentar reagiert`,
    moderation: () => "Neuigkeiten zu deinem Kommentar",
  },
  line: {
    reply: (who, thread) => `${who} hat auf deinen Kommentar in ${thread} geantwortet:`,
    mention: (who, thread) => `${who} hat dich in ${thread} erwähnt:`,
    thread: (who, thread) => `${who} hat in ${thread} kommentiert, dem du folgst:`,
    reaction: (who, thread) => `${who} hat auf deinen Kommentar in ${thread} reagiert:`,
    moderation: (_who, thread) => `Ein Moderator hat deinen Kommentar in ${thread} geprüft.`,
  },
  outcome: {
    removed: "Er wurde entfernt.",
    approved: "Er wurde freigegeben und ist jetzt für alle sichtbar.",
    restored: "Er wurde wiederhergestellt.",
  },
  digestSubject: (n) =>
    `${n} ${n === 1 ? "neuer Kommentar" : "neue Kommentare"} in Diskussionen, denen du folgst`,
  digestIntro: () => "Das ist in Diskussionen passiert, denen du folgst:",
  open: "Kommentar öffnen",
  footer: "Du erhältst diese E-Mail wegen deiner Benachrichtigungseinstellungen.",
  unsubscribe: "Diese E-Mails abbestellen",
  someone: "Jemand",
  aThread: "einer Diskussion",
};

const fr: MailText = {
  subject: {
    reply: (who) => `${who} a répondu à votre commentaire`,
    mention: (who) => `${who} vous a mentionné`,
    thread: (who, thread) => `${who} a commenté ${thread}`,
    reaction: (who) => `${who} a réagi à votre commentaire`,
    moderation: () => "Du nouveau sur votre commentaire",
  },
  line: {
    reply: (who, thread) => `${who} a répondu à votre commentaire sur ${thread} :`,
    mention: (who, thread) => `${who} vous a mentionné sur ${thread} :`,
    thread: (who, thread) => `${who} a commenté ${thread}, que vous suivez :`,
    reaction: (who, thread) => `${who} a réagi à votre commentaire sur ${thread} :`,
    moderation: (_who, thread) => `Un modérateur a examiné votre commentaire sur ${thread}.`,
  },
  outcome: {
    removed: "Il a été retiré.",
    approved: "Il a été approuvé et il est maintenant visible par tous.",
    restored: "Il a été rétabli.",
  },
  digestSubject: (n) =>
    `${n} ${n === 1 ? "nouveau commentaire" : "nouveaux commentaires"} dans les discussions que vous suivez`,
  digestIntro: () => "Voici ce qui s’est passé dans les discussions que vous suivez :",
  open: "Ouvrir le commentaire",
  footer: "Vous recevez cet e-mail en raison de vos préférences de notification.",
  unsubscribe: "Se désabonner de ces e-mails",
  someone: "Quelqu’un",
  aThread: "une discussion",
};

const TEXTS: Record<MailLocale, MailText> = { en, de, fr };

/** `de-CH` → de; anything unknown → en. */
export function mailLocale(locale: string | null | undefined): MailLocale {
  const base = (locale ?? "").toLowerCase().split(/[-_]/)[0];
  return base === "de" || base === "fr" ? base : "en";
}

export function mailText(locale: MailLocale): MailText {
  return TEXTS[locale];
}
