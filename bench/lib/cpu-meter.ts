/**
 * CPU time used by the server process and by the PostgreSQL backends serving its
 * database, between two marks. CPU time, unlike wall time, does not grow when other work
 * takes the cores away, so it tells what one operation costs on a shared machine.
 */
import type postgres from "postgres";
import { type BenchServer, readCpuMs } from "./server.ts";

export interface CpuMark {
  server: number;
  backends: Map<number, number>;
}

export interface CpuUsed {
  /** Milliseconds of CPU of the server process. */
  server: number;
  /** Milliseconds of CPU of the database's backends (PostgreSQL on this machine). */
  database: number;
}

export class CpuMeter {
  constructor(
    private readonly server: BenchServer,
    /** A connection to the server's database; its own backend is left out. */
    private readonly sql: postgres.Sql,
  ) {}

  async #backends(): Promise<Map<number, number>> {
    const rows = await this.sql<{ pid: number }[]>`
      select pid from pg_stat_activity
      where datname = current_database() and pid <> pg_backend_pid()`;
    return new Map(rows.map(({ pid }) => [pid, readCpuMs(pid)]));
  }

  async mark(): Promise<CpuMark> {
    return { server: this.server.cpuMs(), backends: await this.#backends() };
  }

  async since(mark: CpuMark): Promise<CpuUsed> {
    const server = this.server.cpuMs() - mark.server;
    let database = 0;
    for (const [pid, ms] of await this.#backends()) {
      const used = ms - (mark.backends.get(pid) ?? 0);
      if (Number.isFinite(used)) database += used;
    }
    return { server, database };
  }
}
