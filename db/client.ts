/**
 * The one database client factory: PGlite in a local folder when no `DATABASE_URL` is given,
 * the `postgres` driver against a real PostgreSQL when it is. Both run the same migrations
 * and serve the same drizzle queries. PGlite and its drizzle driver are loaded only when the
 * embedded database is opened, so a server on PostgreSQL never holds them in memory.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { PGlite } from "@electric-sql/pglite";
import { type ExtractTablesWithRelations, sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import * as schema from "./schema.ts";

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Anything a query can run on: the database or an open transaction. */
export type DbLike = Db | Tx;

export type Driver = "pglite" | "postgres";

export interface DatabaseOptions {
  /** `postgres://…`; when absent, the embedded PGlite database is used. */
  databaseUrl?: string | undefined;
  /** Folder for the embedded database; `memory://` keeps it in memory. */
  dataDir?: string;
  /** Connections in the PostgreSQL pool. */
  poolSize?: number;
  /** How long to wait for a PostgreSQL connection before a query fails (ms, default 5 s). */
  connectTimeoutMs?: number;
}

/** Raw access to the driver for the few things drizzle does not cover (LISTEN/NOTIFY). */
export type RawClient =
  | { driver: "pglite"; client: PGlite }
  | { driver: "postgres"; client: postgres.Sql };

export interface Database {
  db: Db;
  driver: Driver;
  raw: RawClient;
  close(): Promise<void>;
}

/**
 * The `postgres` driver prepares each distinct statement once per connection and reuses it,
 * but drizzle sends every query through `unsafe()` with `prepare: false`. The driver then
 * describes each parameterised query before binding it: two round trips instead of one, for
 * every query. This hands drizzle a client that keeps the driver's default, inside
 * transactions and savepoints too.
 */
function preparing(sql: postgres.Sql): postgres.Sql {
  type Unsafe = postgres.Sql["unsafe"];
  type Scoped = (...args: unknown[]) => unknown;
  const scoped =
    (method: Scoped): Scoped =>
    (...args) => {
      const callback = args.pop() as (inner: postgres.Sql) => unknown;
      return method(...args, (inner: postgres.Sql) => callback(preparing(inner)));
    };
  // Built once per client, not on every property read: drizzle reads `unsafe` for every query.
  const overrides: Record<string | symbol, unknown> = {
    unsafe: ((query, args, options) =>
      sql.unsafe(query, args, { ...options, prepare: true })) satisfies Unsafe,
    begin: scoped(sql.begin as unknown as Scoped),
    savepoint: "savepoint" in sql ? scoped(sql.savepoint as unknown as Scoped) : undefined,
  };
  return new Proxy(sql, {
    get(target, property, receiver) {
      return overrides[property] ?? Reflect.get(target, property, receiver);
    },
  });
}

const migrationsFolder = fileURLToPath(new URL("./migrations", import.meta.url));

/**
 * PostgreSQL's buffer cache in the embedded database. With PostgreSQL's default of 128 MB the
 * whole pool is resident in PGlite's WebAssembly memory from the start; the data files behind
 * it are cached by the operating system either way.
 * See docs/decisions/0008-embedded-database-memory.md.
 */
const PGLITE_SHARED_BUFFERS = "16MB";

/** Opens the database and applies pending migrations. */
export async function openDatabase(options: DatabaseOptions = {}): Promise<Database> {
  if (options.databaseUrl) {
    const client = postgres(options.databaseUrl, {
      max: options.poolSize ?? 10,
      // An unreachable database fails a request quickly (503) instead of holding it.
      connect_timeout: (options.connectTimeoutMs ?? 5_000) / 1000,
      onnotice: () => {},
      connection: { application_name: "hearth" },
    });
    const db = drizzlePostgres(preparing(client), { schema }) as unknown as Db;
    // Several processes may start at once: one connection holds a lock while it migrates.
    const migrator = postgres(options.databaseUrl, { max: 1, onnotice: () => {} });
    try {
      await migrator`select pg_advisory_lock(7320154)`;
      await migratePostgres(drizzlePostgres(migrator), { migrationsFolder });
    } finally {
      await migrator.end({ timeout: 5 });
    }
    return {
      db,
      driver: "postgres",
      raw: { driver: "postgres", client },
      close: () => client.end({ timeout: 5 }),
    };
  }
  const dataDir = options.dataDir ?? "./data";
  let unlock = () => {};
  if (!dataDir.startsWith("memory://")) {
    mkdirSync(dataDir, { recursive: true });
    unlock = lockDataDir(dataDir);
  }
  const [{ PGlite }, { drizzle: drizzlePglite }, { migrate: migratePglite }] = await Promise.all([
    import("@electric-sql/pglite"),
    import("drizzle-orm/pglite"),
    import("drizzle-orm/pglite/migrator"),
  ]);
  let client: PGlite;
  try {
    client = await PGlite.create(dataDir, {
      startParams: [...PGlite.defaultStartParams, "-c", `shared_buffers=${PGLITE_SHARED_BUFFERS}`],
    });
    await migratePglite(drizzlePglite(client), { migrationsFolder });
  } catch (error) {
    unlock();
    throw error;
  }
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    db,
    driver: "pglite",
    raw: { driver: "pglite", client },
    async close() {
      try {
        await client.close();
      } finally {
        unlock();
      }
    },
  };
}

/** The embedded database's folder is open in another process. */
export class DatabaseInUseError extends Error {
  override name = "DatabaseInUseError";
}

/**
 * The embedded database belongs to one process at a time: a second one opening the same
 * folder (another server, or `hearth admin` while the server runs) would corrupt it. While
 * it is open, the folder holds `hearth.lock` with the owner's process id; a lock whose
 * process is gone (or is this process: a container restarted with the same pid) is taken
 * over. Returns the function that removes it.
 */
function lockDataDir(dataDir: string): () => void {
  const path = join(dataDir, "hearth.lock");
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(path, "wx");
      try {
        writeFileSync(fd, String(process.pid));
      } finally {
        closeSync(fd);
      }
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST" || attempt > 0) throw error;
    }
    const holder = Number(readFileSync(path, "utf8").trim());
    if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && alive(holder)) {
      throw new DatabaseInUseError(
        `The embedded database in ${dataDir} is open in another process (pid ${holder}). Stop that process first; to run several processes at once, use PostgreSQL (DATABASE_URL).`,
      );
    }
    rmSync(path, { force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Liveness of the database: a round trip. */
export async function pingDatabase(db: Db): Promise<void> {
  await db.execute(sql`select 1`);
}
