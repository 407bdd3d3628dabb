import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { ScreeningSignal } from "./types.ts";

/**
 * A sorted list of names held as one string, one name per line, with the offset where each
 * line starts. The offline list has over 120,000 domains: as an array or a `Set` of strings it
 * takes tens of megabytes of heap, as one string a few.
 */
interface NameList {
  text: string;
  /** `starts[i]` is where name `i` begins in `text`; the last entry is `text.length + 1`. */
  starts: Uint32Array;
}

/** Builds the list; sorts `names` in place. */
function createNameList(names: string[]): NameList {
  // The default sort orders by UTF-16 code units, the same order `compareAt` reads.
  const sorted = names.sort();
  const starts = new Uint32Array(sorted.length + 1);
  let offset = 0;
  for (let i = 0; i < sorted.length; i++) {
    starts[i] = offset;
    offset += (sorted[i] as string).length + 1;
  }
  starts[sorted.length] = offset;
  return { text: sorted.join("\n"), starts };
}

/** Compares `name` with the list's entry from `start` to `end`, like `name < entry ? -1 : …`. */
function compareAt(name: string, text: string, start: number, end: number): number {
  const length = Math.min(name.length, end - start);
  for (let i = 0; i < length; i++) {
    const difference = name.charCodeAt(i) - text.charCodeAt(start + i);
    if (difference !== 0) return difference;
  }
  return name.length - (end - start);
}

function hasName(list: NameList, name: string): boolean {
  let low = 0;
  let high = list.starts.length - 2;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const start = list.starts[middle] as number;
    const end = (list.starts[middle + 1] as number) - 1;
    const order = compareAt(name, list.text, start, end);
    if (order === 0) return true;
    if (order < 0) high = middle - 1;
    else low = middle + 1;
  }
  return false;
}

let lists: { exact: NameList; wildcard: NameList } | undefined;

/**
 * The offline list from the `disposable-email-domains` package (exact and wildcard domains),
 * read on first use. The files are read and parsed here rather than `require`d, so the parsed
 * arrays are not kept in the module cache and are collected once the lists are built.
 */
function disposableLists(): { exact: NameList; wildcard: NameList } {
  if (!lists) {
    const require = createRequire(import.meta.url);
    const read = (file: string) =>
      JSON.parse(readFileSync(require.resolve(`disposable-email-domains/${file}`), "utf8"));
    lists = {
      exact: createNameList(read("index.json") as string[]),
      wildcard: createNameList(read("wildcard.json") as string[]),
    };
  }
  return lists;
}

/**
 * Whether mail to `domain` goes to a throwaway mailbox: the domain is on the exact list, or
 * one of its parent domains (below the top level) is on the exact or the wildcard list.
 */
export function isDisposableDomain(domain: string): boolean {
  const { exact, wildcard } = disposableLists();
  const lower = domain.toLowerCase().replace(/\.$/, "");
  if (hasName(exact, lower)) return true;
  const parts = lower.split(".");
  for (let i = 1; i < parts.length - 1; i++) {
    const parent = parts.slice(i).join(".");
    if (hasName(wildcard, parent) || hasName(exact, parent)) return true;
  }
  return false;
}

/** Throwaway mailboxes (mailinator.com and some thousands more). */
export const disposableEmailSignal: ScreeningSignal = {
  name: "disposable_email",
  kinds: ["signup"],
  async score(input) {
    const domain = input.email?.split("@")[1];
    if (!domain) return null;
    if (!isDisposableDomain(domain)) return null;
    return { score: 45, reason: `Email domain ${domain.toLowerCase()} is a disposable mailbox.` };
  },
};
