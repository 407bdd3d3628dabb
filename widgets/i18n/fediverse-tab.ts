import type { Locale } from "./index.ts";

/**
 * The label of the moderation desk's Fediverse tab. The tab's own strings and code
 * (federation-blocks.ts) load when a moderator opens it.
 */
export const fediverseTab: Record<Locale, string> = {
  en: "Fediverse",
  de: "Fediverse",
  fr: "Fédivers",
};
