/**
 * Fedify's key-value store on Hearth's own database (table `federation_kv`), the same on
 * PGlite and PostgreSQL. Expired entries are invisible at once and swept now and then.
 */
import { isDeepStrictEqual } from "node:util";
import type { KvKey, KvStore, KvStoreListEntry, KvStoreSetOptions } from "@fedify/fedify";
import type { Db } from "../../db/client.ts";
import {
  kvDelete,
  kvDeleteExpired,
  kvGet,
  kvGetForUpdate,
  kvList,
  kvSet,
} from "../../db/queries/federation-store.ts";

const encode = (key: KvKey) => JSON.stringify(key);

function ttlMs(options: KvStoreSetOptions | undefined): number | undefined {
  const ttl = options?.ttl;
  return ttl ? Number(ttl.total({ unit: "millisecond" })) : undefined;
}

export class SqlKvStore implements KvStore {
  #writes = 0;
  #closed = false;

  constructor(readonly db: Db) {}

  /**
   * Stops using the database: Fedify may still write a cache entry after a request ends,
   * and on shutdown that write must not reach a closed database.
   */
  close(): void {
    this.#closed = true;
  }

  async get<T = unknown>(key: KvKey): Promise<T | undefined> {
    if (this.#closed) return undefined;
    const row = await kvGet(this.db, encode(key));
    return row?.value as T | undefined;
  }

  async set(key: KvKey, value: unknown, options?: KvStoreSetOptions): Promise<void> {
    if (this.#closed) return;
    await kvSet(this.db, encode(key), value, ttlMs(options));
    if (++this.#writes % 500 === 0) await kvDeleteExpired(this.db);
  }

  async delete(key: KvKey): Promise<void> {
    if (this.#closed) return;
    await kvDelete(this.db, encode(key));
  }

  async cas(
    key: KvKey,
    expectedValue: unknown,
    newValue: unknown,
    options?: KvStoreSetOptions,
  ): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const row = await kvGetForUpdate(tx, encode(key));
      if (!isDeepStrictEqual(row?.value, expectedValue)) return false;
      if (newValue === undefined) await kvDelete(tx, encode(key));
      else await kvSet(tx, encode(key), newValue, ttlMs(options));
      return true;
    });
  }

  async *list(prefix?: KvKey): AsyncIterable<KvStoreListEntry> {
    const rows = await kvList(this.db, prefix ? encode(prefix).slice(0, -1) : undefined);
    for (const row of rows) yield { key: JSON.parse(row.key) as KvKey, value: row.value };
  }
}
