/**
 * Fedify's key-value store on Hearth's own database (table `federation_kv`), the same on
 * PGlite and PostgreSQL. Expired entries are invisible at once and swept now and then.
 *
 * Fedify reads some entries on every delivery and every inbound activity: its caches of
 * remote documents and public keys, the signature spec each origin takes, and the circuit
 * breaker's state per host; and it writes the spec again after every delivery. Reads of
 * those are kept in this process for a few seconds (`memoMs`), concurrent reads of one key
 * share one query, and a write of the value an entry already holds for good is skipped, so
 * a fan-out to a thousand inboxes does not cost the database three or four statements per
 * inbox. Staleness there is harmless: a cache entry is a cache, another process's circuit
 * change is seen a moment later, and a compare-and-swap always works on the database (and
 * forgets the memo). Everything else (idempotence, nonces) always goes to the database.
 *
 * A write to one of the two pure caches (remote documents and public keys) is in memory at
 * once and reaches the database in the background: Fedify waits for the write before it
 * hands over the document it fetched, and an inbound reply from a new author would wait
 * for it. If the write fails, the entry is fetched again next time.
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
import type { Logger } from "../logger.ts";
import { storableJson } from "../services/storable-text.ts";

const encode = (key: KvKey) => JSON.stringify(key);

/**
 * Where Fedify caches remote documents (passed to it as `kvPrefixes.remoteDocument`); its
 * document cache keeps each document under this prefix followed by the document's URL.
 */
export const REMOTE_DOCUMENT_PREFIX: KvKey = ["_fedify", "remoteDocument"];

/** Prefixes whose reads may be answered from memory for `memoMs`. */
const MEMO_PREFIXES = ["remoteDocument", "publicKey", "httpMessageSignaturesSpec", "circuit"].map(
  (name) => `${encode(["_fedify", name]).slice(0, -1)},`,
);
const MEMO_ENTRIES = 5000;

/** Prefixes of the pure caches, whose writes reach the database in the background. */
const CACHE_PREFIXES = ["remoteDocument", "publicKey"].map(
  (name) => `${encode(["_fedify", name]).slice(0, -1)},`,
);

export interface SqlKvStoreOptions {
  /** How long a read of a cache entry is kept in this process (ms); 0 turns it off. */
  memoMs?: number;
  /** Hears of background cache writes that failed. */
  logger?: Logger;
}

function ttlMs(options: KvStoreSetOptions | undefined): number | undefined {
  const ttl = options?.ttl;
  return ttl ? Number(ttl.total({ unit: "millisecond" })) : undefined;
}

interface Memo {
  value: unknown;
  until: number;
  /** Whether the stored entry has no expiry (so writing the same value again changes nothing). */
  lasting: boolean;
}

export class SqlKvStore implements KvStore {
  #writes = 0;
  #closed = false;
  readonly #memoMs: number;
  readonly #logger: Logger | undefined;
  /** Background writes of cache entries under way. */
  readonly #writing = new Set<Promise<void>>();
  readonly #memo = new Map<string, Memo>();
  /** Reads of memoized keys under way: concurrent readers share one query. */
  readonly #reading = new Map<string, Promise<{ value: unknown; lasting: boolean }>>();

  constructor(
    readonly db: Db,
    options: SqlKvStoreOptions = {},
  ) {
    this.#memoMs = options.memoMs ?? 2000;
    this.#logger = options.logger;
  }

  #memoized(key: string): boolean {
    return this.#memoMs > 0 && MEMO_PREFIXES.some((prefix) => key.startsWith(prefix));
  }

  #fresh(key: string): Memo | undefined {
    const memo = this.#memo.get(key);
    return memo && memo.until > Date.now() ? memo : undefined;
  }

  #remember(key: string, value: unknown, lasting: boolean, ttl: number | undefined): void {
    this.#memo.delete(key);
    if (this.#memo.size >= MEMO_ENTRIES) {
      const oldest = this.#memo.keys().next().value;
      if (oldest !== undefined) this.#memo.delete(oldest);
    }
    const until = Date.now() + Math.min(this.#memoMs, ttl ?? Number.POSITIVE_INFINITY);
    this.#memo.set(key, { value, until, lasting });
  }

  /**
   * Stops using the database: Fedify may still write a cache entry after a request ends,
   * and on shutdown that write must not reach a closed database. Resolves once the
   * background writes under way are done.
   */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#writing);
  }

  async get<T = unknown>(key: KvKey): Promise<T | undefined> {
    if (this.#closed) return undefined;
    const encoded = encode(key);
    if (!this.#memoized(encoded)) {
      const row = await kvGet(this.db, encoded);
      return row?.value as T | undefined;
    }
    const memo = this.#fresh(encoded);
    if (memo) return structuredClone(memo.value) as T | undefined;
    let reading = this.#reading.get(encoded);
    if (!reading) {
      reading = kvGet(this.db, encoded)
        .then((row) => {
          const read = { value: row?.value, lasting: row !== undefined && row.expiresAt === null };
          if (this.#reading.get(encoded) === reading) {
            this.#remember(encoded, read.value, read.lasting, undefined);
          }
          return read;
        })
        .finally(() => {
          if (this.#reading.get(encoded) === reading) this.#reading.delete(encoded);
        });
      this.#reading.set(encoded, reading);
    }
    return structuredClone((await reading).value) as T | undefined;
  }

  /**
   * Starts reading a cache entry that will be asked for shortly, so that the read is under
   * way (or done) by then; only for the entries read from memory for a moment.
   */
  prefetch(key: KvKey): void {
    if (this.#closed || !this.#memoized(encode(key))) return;
    this.get(key).catch(() => {});
  }

  async set(key: KvKey, value: unknown, options?: KvStoreSetOptions): Promise<void> {
    if (this.#closed) return;
    const encoded = encode(key);
    const ttl = ttlMs(options);
    // A remote document may carry text PostgreSQL cannot hold in jsonb.
    const stored = storableJson(value ?? null);
    if (!this.#memoized(encoded)) {
      await kvSet(this.db, encoded, stored, ttl);
    } else {
      // Fedify notes after every delivery which signature spec the inbox took; when that
      // is what the entry already holds, for good, the write would change nothing.
      const memo = this.#fresh(encoded);
      if (ttl === undefined && memo?.lasting && isDeepStrictEqual(memo.value, stored)) return;
      this.#forget(encoded);
      if (CACHE_PREFIXES.some((prefix) => encoded.startsWith(prefix))) {
        this.#remember(encoded, structuredClone(stored), ttl === undefined, ttl);
        this.#inBackground(encoded, kvSet(this.db, encoded, stored, ttl));
      } else {
        await kvSet(this.db, encoded, stored, ttl);
        this.#remember(encoded, structuredClone(stored), ttl === undefined, ttl);
      }
    }
    if (++this.#writes % 500 === 0) await kvDeleteExpired(this.db);
  }

  #inBackground(key: string, write: Promise<void>): void {
    const tracked: Promise<void> = write
      .catch((error: unknown) => {
        this.#logger?.error("federation kv: a cache entry was not stored", {
          key,
          error: String(error),
        });
      })
      .finally(() => this.#writing.delete(tracked));
    this.#writing.add(tracked);
  }

  #forget(key: string): void {
    this.#memo.delete(key);
    this.#reading.delete(key);
  }

  async delete(key: KvKey): Promise<void> {
    if (this.#closed) return;
    const encoded = encode(key);
    this.#forget(encoded);
    await kvDelete(this.db, encoded);
  }

  async cas(
    key: KvKey,
    expectedValue: unknown,
    newValue: unknown,
    options?: KvStoreSetOptions,
  ): Promise<boolean> {
    const encoded = encode(key);
    this.#forget(encoded);
    return this.db.transaction(async (tx) => {
      const row = await kvGetForUpdate(tx, encoded);
      if (!isDeepStrictEqual(row?.value, expectedValue)) return false;
      if (newValue === undefined) await kvDelete(tx, encoded);
      else await kvSet(tx, encoded, newValue, ttlMs(options));
      return true;
    });
  }

  async *list(prefix?: KvKey): AsyncIterable<KvStoreListEntry> {
    const rows = await kvList(this.db, prefix ? encode(prefix).slice(0, -1) : undefined);
    for (const row of rows) yield { key: JSON.parse(row.key) as KvKey, value: row.value };
  }
}
