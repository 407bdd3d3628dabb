/**
 * `column = any($1::type[])` with the whole list as one array parameter. Unlike `in ($1, …,
 * $n)`, the statement's text does not change with the list's length, so each connection
 * prepares it once instead of once per length.
 */
import { type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The array literal of a list of uuids, for a `$n::uuid[]` parameter. */
export function uuidArray(ids: readonly string[]): string {
  for (const id of ids) if (!UUID.test(id)) throw new Error(`not a uuid: ${id}`);
  return `{${ids.join(",")}}`;
}

/** The array literal of a list of integer ids, for a `$n::bigint[]` parameter. */
export function bigintArray(ids: readonly number[]): string {
  return `{${ids.map((id) => Math.trunc(id)).join(",")}}`;
}

export function anyUuid(column: AnyPgColumn, ids: readonly string[]): SQL {
  return sql`${column} = any(${uuidArray(ids)}::uuid[])`;
}

export function anyBigint(column: AnyPgColumn, ids: readonly number[]): SQL {
  return sql`${column} = any(${bigintArray(ids)}::bigint[])`;
}
