/**
 * A hot query built once per database handle and run as a prepared statement: building a
 * drizzle query costs more CPU and garbage than running it. `build` names its parameters
 * with `sql.placeholder`.
 */
import type { DbLike } from "../client.ts";

export function preparedPerDatabase<Query>(build: (db: DbLike) => Query): (db: DbLike) => Query {
  const built = new WeakMap<DbLike, Query>();
  return (db) => {
    let query = built.get(db);
    if (!query) {
      query = build(db);
      built.set(db, query);
    }
    return query;
  };
}
