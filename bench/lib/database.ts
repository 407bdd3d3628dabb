/** A fresh PostgreSQL database for one benchmark run, dropped again at the end. */
import { randomBytes } from "node:crypto";
import postgres from "postgres";

export const adminUrl =
  process.env.HEARTH_BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export interface BenchDatabase {
  name: string;
  url: string;
  /** PostgreSQL's version string, such as `15.4`. */
  version: string;
  drop(): Promise<void>;
}

export async function createBenchDatabase(prefix: string): Promise<BenchDatabase> {
  const name = `hearth_bench_${prefix}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  let version = "";
  try {
    await admin.unsafe(`create database ${name}`);
    const [row] = await admin<{ server_version: string }[]>`show server_version`;
    version = row?.server_version ?? "";
  } finally {
    await admin.end({ timeout: 5 });
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    name,
    url: url.toString(),
    version,
    async drop() {
      if (dropped) return;
      dropped = true;
      const again = postgres(adminUrl, { max: 1, onnotice: () => {}, connect_timeout: 5 });
      try {
        await again.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await again.end({ timeout: 5 });
      }
    },
  };
}
