import { HearthApiError } from "../api.ts";
import type { ErrorCode } from "../types.ts";
import { de } from "./de.ts";
import { en } from "./en.ts";
import { fr } from "./fr.ts";
import type { Translation } from "./translation.ts";

export type { Translation } from "./translation.ts";

export const translations = { en, de, fr } satisfies Record<string, Translation>;

export type Locale = keyof typeof translations;

/** The supported locale for a BCP 47 tag (`de-AT` → `de`), or null. */
export function pickLocale(tag: string | null | undefined): Locale | null {
  const primary = tag?.trim().toLowerCase().split(/[-_]/)[0];
  return primary && Object.hasOwn(translations, primary) ? (primary as Locale) : null;
}

/**
 * The language of an element: its own `lang`, then the closest `[lang]` ancestor (crossing
 * shadow roots), then `<html lang>`; English when none of them is supported.
 */
export function localeOf(element: Element): Locale {
  let node: Element | null = element;
  while (node) {
    const tag = node.getAttribute("lang");
    if (tag) return pickLocale(tag) ?? "en";
    const parent: Element | null = node.parentElement;
    if (parent) {
      node = parent;
    } else {
      const root = node.getRootNode();
      node = root instanceof ShadowRoot ? root.host : null;
    }
  }
  return "en";
}

const errorCodes = new Set<string>(Object.keys(en.errors));

const isErrorCode = (code: string): code is ErrorCode => errorCodes.has(code);

/** A message for the reader; unknown codes fall back to a generic one with the server's text. */
export function describeError(t: Translation, error: unknown): string {
  if (error instanceof HearthApiError) {
    if (error.code === "network_error") return t.networkError;
    if (isErrorCode(error.code)) return t.errors[error.code];
    return t.unknownError(error.message || String(error.status));
  }
  return t.unknownError(error instanceof Error ? error.message : String(error));
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

/** "3 minutes ago", "yesterday", … in the reader's language. */
export function relativeTime(t: Translation, iso: string, now = Date.now()): string {
  const seconds = (Date.parse(iso) - now) / 1000;
  if (Math.abs(seconds) < 45) return t.justNow;
  const format = new Intl.RelativeTimeFormat(t.$code, { numeric: "auto" });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === "minute") {
      return format.format(Math.round(seconds / size), unit);
    }
  }
  return t.justNow;
}

/** The full date and time, for a `title`. */
export function absoluteTime(t: Translation, iso: string): string {
  return new Intl.DateTimeFormat(t.$code, { dateStyle: "long", timeStyle: "short" }).format(
    new Date(iso),
  );
}
