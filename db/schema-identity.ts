/**
 * Identity: ids (`jti`) of member tokens already exchanged, kept until the token expires so
 * the same token cannot be exchanged twice.
 */
import { index, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

export const usedTokenIds = pgTable(
  "used_token_ids",
  {
    issuer: text("issuer").notNull(),
    tokenId: text("token_id").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.issuer, t.tokenId] }),
    index("used_token_ids_expires_idx").on(t.expiresAt),
  ],
);
export type UsedTokenId = typeof usedTokenIds.$inferSelect;
