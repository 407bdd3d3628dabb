import { eq } from "drizzle-orm";
import type { DbLike } from "../client.ts";
import { settings } from "../schema.ts";

/** Returns the stored value, creating it with `create()` first when absent (race-safe). */
export async function getOrCreateSetting(
  db: DbLike,
  key: string,
  create: () => string,
): Promise<string> {
  await db.insert(settings).values({ key, value: create() }).onConflictDoNothing();
  const [row] = await db
    .select({ value: settings.value })
    .from(settings)
    .where(eq(settings.key, key));
  if (!row) throw new Error(`setting ${key} vanished`);
  return row.value;
}
