/**
 * A fresh database for one test file: in-memory PGlite, or a new PostgreSQL database
 * (dropped again by `dispose`) when HEARTH_TEST_DRIVER=postgres.
 */
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { type Database, type Driver, openDatabase } from "../../db/client.ts";

export const testDriver: Driver =
  process.env.HEARTH_TEST_DRIVER === "postgres" ? "postgres" : "pglite";
const adminUrl = process.env.HEARTH_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export interface TestDatabase {
  database: Database;
  /** The connection URL on PostgreSQL, for a second process; undefined on PGlite. */
  url: string | undefined;
  dispose(): Promise<void>;
}

/** Creates an empty PostgreSQL database and returns its URL and a function that drops it. */
export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `hearth_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const again = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await again.unsafe(`drop database if exists ${name} with (force)`);
      await again.end();
    },
  };
}

export async function createTestDatabase(driver: Driver = testDriver): Promise<TestDatabase> {
  if (driver === "pglite") {
    const database = await openDatabase({ dataDir: "memory://" });
    return { database, url: undefined, dispose: () => database.close() };
  }
  const { url, drop } = await createPostgresDatabase();
  const database = await openDatabase({ databaseUrl: url, poolSize: 4 });
  return {
    database,
    url,
    async dispose() {
      await database.close();
      await drop();
    },
  };
}
