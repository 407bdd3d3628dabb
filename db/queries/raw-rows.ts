/**
 * Reading the rows of statements written as SQL (`db.execute`): the two drivers return them
 * differently and decode fewer types than drizzle's mapped queries.
 */

/** The rows of a raw statement: the `postgres` driver returns an array, PGlite `{ rows }`. */
export function rowsOf(result: unknown): Record<string, unknown>[] {
  return (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Record<
    string,
    unknown
  >[];
}

/** A nullable bigint (the `postgres` driver returns bigints as text). */
export const toNumberOrNull = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value);

/** A timestamp: PGlite returns a Date, the `postgres` driver (as drizzle sets it up) text. */
export const toDate = (value: unknown): Date =>
  value instanceof Date ? value : new Date(String(value));

/** A nullable timestamp. */
export const toDateOrNull = (value: unknown): Date | null =>
  value === null || value === undefined ? null : toDate(value);

/**
 * A jsonb object or array, whether or not the driver parsed it already. Not for a column
 * that may hold a JSON string: read such a column as text and parse it.
 */
export const fromJson = (value: unknown): unknown =>
  typeof value === "string" ? JSON.parse(value) : value;
