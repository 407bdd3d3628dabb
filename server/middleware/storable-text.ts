/**
 * A request whose body, path or query string carries text the database cannot hold (a NUL
 * character, an unpaired surrogate: services/storable-text.ts) is refused with 400 here,
 * naming the field, before a service could fail on it at the database.
 */
import { badRequest } from "../errors.ts";
import { isStorable, UNSTORABLE_ESCAPE } from "../services/storable-text.ts";

interface Visit {
  value: unknown;
  key: string;
  parent: Visit | undefined;
}

const pathOf = (visit: Visit | undefined): string[] => {
  const path: string[] = [];
  for (let at = visit; at?.parent; at = at.parent) path.push(at.key);
  return path.reverse();
};

/**
 * The path of a string (or object key) in `value` that cannot be stored, or undefined when
 * all can. Walks without recursion and builds a path only for what it finds, so a deeply
 * nested body costs time in proportion to its size and cannot exhaust the stack.
 */
export function unstorableTextPath(value: unknown): string[] | undefined {
  const pending: Visit[] = [{ value, key: "", parent: undefined }];
  while (pending.length > 0) {
    const visit = pending.pop()!;
    const item = visit.value;
    if (typeof item === "string") {
      if (!isStorable(item)) return pathOf(visit);
    } else if (Array.isArray(item)) {
      item.forEach((element, index) => {
        pending.push({ value: element, key: String(index), parent: visit });
      });
    } else if (item !== null && typeof item === "object") {
      for (const [key, element] of Object.entries(item)) {
        if (!isStorable(key)) return [...pathOf(visit), "(key)"];
        pending.push({ value: element, key, parent: visit });
      }
    }
  }
  return undefined;
}

/** Requests whose JSON body text showed no NUL and no surrogate escape (http/body.ts). */
const storableBodies = new WeakSet<object>();

/**
 * Notes that the JSON text `text`, parsed into `req.body`, can hold nothing the database
 * refuses, so the body need not be walked: the common case, told from the text at once.
 */
export function noteBodyText(req: object, text: string): void {
  if (isStorable(text) && !UNSTORABLE_ESCAPE.test(text)) storableBodies.add(req);
}

/**
 * 400 `validation_failed` for text in a request's params, query or body that cannot be
 * stored. Params and query are decoded from the URL, where only `%00` can bring a NUL (a
 * percent-encoded surrogate does not decode), so a URL without it needs no walk.
 */
export function refuseUnstorableText(req: {
  url: string;
  params: unknown;
  query: unknown;
  body?: unknown;
}): void {
  const urlClean = !req.url.includes("%00");
  for (const value of [
    urlClean ? undefined : req.params,
    urlClean ? undefined : req.query,
    storableBodies.has(req) ? undefined : req.body,
  ]) {
    const path = unstorableTextPath(value);
    if (path === undefined) continue;
    const field = path.join(".") || undefined;
    throw badRequest(
      "validation_failed",
      `${field ? `${field}: ` : ""}Text cannot contain NUL characters or unpaired surrogates.`,
      { field },
    );
  }
}
