/**
 * Pure helpers of `<hearth-moderation>`: keyboard shortcuts, moving through the queue and
 * taking decided items out of it.
 */
import type { QueueItem } from "./types.ts";

export type Shortcut = "approve" | "remove" | "ban" | "next" | "previous" | "select";

const SHORTCUTS: Record<string, Shortcut> = {
  a: "approve",
  r: "remove",
  b: "ban",
  j: "next",
  k: "previous",
  x: "select",
};

/**
 * The shortcut a key press stands for, or null: only plain letters (no Ctrl, Alt or Meta)
 * and never while the moderator is typing in a field.
 */
export function shortcutOf(event: {
  key: string;
  ctrlKey?: boolean;
  altKey?: boolean;
  metaKey?: boolean;
  target?: EventTarget | null;
  composedPath?: () => EventTarget[];
}): Shortcut | null {
  if (event.ctrlKey || event.altKey || event.metaKey) return null;
  const path = event.composedPath?.() ?? (event.target ? [event.target] : []);
  const typing = path.some((node) => {
    const element = node as { localName?: string; isContentEditable?: boolean };
    return (
      element.isContentEditable === true ||
      element.localName === "input" ||
      element.localName === "textarea" ||
      element.localName === "select"
    );
  });
  if (typing) return null;
  return SHORTCUTS[event.key] ?? null;
}

/** The index `delta` steps from `index`, kept inside a list of `length` items. */
export function step(index: number, delta: number, length: number): number {
  if (length === 0) return 0;
  return Math.min(Math.max(index + delta, 0), length - 1);
}

/**
 * The queue without the decided items, and the index of the item to move to: the one that
 * took the current item's place, or the last one.
 */
export function withoutItems(
  items: QueueItem[],
  ids: ReadonlySet<string>,
  current: number,
): { items: QueueItem[]; current: number } {
  const before = items.slice(0, current).filter((item) => ids.has(item.id)).length;
  const rest = items.filter((item) => !ids.has(item.id));
  return { items: rest, current: step(current - before, 0, rest.length) };
}

/** Ban lengths offered to moderators, in seconds; null is for good. */
export const BAN_DURATIONS: readonly (number | null)[] = [86_400, 7 * 86_400, 30 * 86_400, null];
