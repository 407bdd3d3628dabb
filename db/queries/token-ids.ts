import { lt, sql } from "drizzle-orm";
import type { DbLike } from "../client.ts";
import { usedTokenIds } from "../schema.ts";

/**
 * Records a token id as used; false when the same issuer's id is already recorded and has
 * not expired. An expired record is taken over, so ids may be reused after expiry.
 */
export async function claimTokenId(
  db: DbLike,
  issuer: string,
  tokenId: string,
  expiresAt: Date,
): Promise<boolean> {
  const rows = await db
    .insert(usedTokenIds)
    .values({ issuer, tokenId, expiresAt })
    .onConflictDoUpdate({
      target: [usedTokenIds.issuer, usedTokenIds.tokenId],
      set: { expiresAt },
      setWhere: lt(usedTokenIds.expiresAt, sql`now()`),
    })
    .returning({ tokenId: usedTokenIds.tokenId });
  return rows.length === 1;
}

/** Deletes records of tokens that have expired. */
export async function deleteExpiredTokenIds(db: DbLike, before: Date): Promise<number> {
  const rows = await db
    .delete(usedTokenIds)
    .where(lt(usedTokenIds.expiresAt, before))
    .returning({ tokenId: usedTokenIds.tokenId });
  return rows.length;
}

export async function countTokenIds(db: DbLike, issuer: string): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(usedTokenIds)
    .where(sql`${usedTokenIds.issuer} = ${issuer}`);
  return row?.count ?? 0;
}
