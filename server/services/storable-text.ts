/**
 * Text the database can hold. PostgreSQL refuses the NUL character in `text` and `jsonb`,
 * and an unpaired UTF-16 surrogate has no UTF-8 form: requests carrying either are refused
 * (middleware/storable-text.ts), and text Hearth is handed by a trusted party, such as the
 * profile in a host's member token, is cleaned with `storable`.
 */

export const isStorable = (text: string): boolean =>
  !text.includes("\u0000") && text.isWellFormed();

/** `text` without NUL characters, with each unpaired surrogate replaced by U+FFFD. */
export const storable = (text: string): string =>
  isStorable(text) ? text : text.replaceAll("\u0000", "").toWellFormed();

/**
 * The escapes `JSON.stringify` writes for a NUL character and for an unpaired surrogate, and
 * not a backslash of the text followed by `u0000`.
 */
export const UNSTORABLE_ESCAPE = /(?<!\\)(?:\\\\)*\\u(?:0000|d[89a-f])/i;

/**
 * A JSON value, such as a document from another server, made storable in a `jsonb` column:
 * the value itself when it already is (the common case, told from its JSON text), else a
 * copy with every string and key passed through `storable`.
 */
export function storableJson<T>(value: T): T {
  if (!UNSTORABLE_ESCAPE.test(JSON.stringify(value) ?? "")) return value;
  const clean = (item: unknown): unknown => {
    if (typeof item === "string") return storable(item);
    if (Array.isArray(item)) return item.map(clean);
    if (item !== null && typeof item === "object") {
      return Object.fromEntries(
        Object.entries(item).map(([key, element]) => [storable(key), clean(element)]),
      );
    }
    return item;
  };
  return clean(value) as T;
}
