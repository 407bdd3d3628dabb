/**
 * Whether an admin's regular expression is safe to run on every comment. A pattern whose
 * matching can backtrack catastrophically (exponential or polynomial time on a crafted
 * comment) is refused when it is saved: nested quantifiers such as `(a+)+` or `(\w+\s?)*`,
 * quantifiers that trade characters with each other such as `\s*\s*` or `.*.*`, quantified
 * alternatives that overlap such as `(a|ab)*`, and patterns over 100 characters. The analysis
 * of super-linear backtracking is `scslre` (the one behind eslint-plugin-regexp); nested
 * quantifiers and the length are checked here. What slips through is still bounded by the
 * time limit filters run under (`pattern-runner.ts`).
 *
 * The parser and the analysis are loaded on the first check, not at start: a filter is saved
 * now and then, and `scslre` with what it builds on holds about 5 MB of heap once loaded.
 */
import type { AST } from "@eslint-community/regexpp";

/** Longest regular expression a word filter may have. */
export const MAX_REGEX_FILTER_LENGTH = 100;

export type RegexCheck =
  | { ok: true }
  | { ok: false; code: "invalid_filter" | "unsafe_filter"; message: string; suggestion?: string };

/** A quantifier that can repeat its element more than once (`*`, `+`, `{2,}`, `{1,5}`). */
function repeats(node: AST.Quantifier): boolean {
  return node.max > 1;
}

/** The first quantifier found inside `node`, if any. */
function innerQuantifier(node: AST.Node): AST.Quantifier | undefined {
  switch (node.type) {
    case "Quantifier":
      return node;
    case "Group":
    case "CapturingGroup":
    case "Assertion":
      if (!("alternatives" in node)) return undefined;
      for (const alternative of node.alternatives) {
        const found = innerQuantifier(alternative);
        if (found) return found;
      }
      return undefined;
    case "Alternative":
      for (const element of node.elements) {
        const found = innerQuantifier(element);
        if (found) return found;
      }
      return undefined;
    default:
      return undefined;
  }
}

/** A repeating quantifier with another quantifier inside: `(a+)+`, `(ab?){2,}`. */
function nestedQuantifier(node: AST.Node): AST.Quantifier | undefined {
  switch (node.type) {
    case "Quantifier":
      if (repeats(node) && innerQuantifier(node.element)) return node;
      return nestedQuantifier(node.element);
    case "Pattern":
    case "Group":
    case "CapturingGroup":
    case "Assertion":
      if (!("alternatives" in node)) return undefined;
      for (const alternative of node.alternatives) {
        const found = nestedQuantifier(alternative);
        if (found) return found;
      }
      return undefined;
    case "Alternative":
      for (const element of node.elements) {
        const found = nestedQuantifier(element);
        if (found) return found;
      }
      return undefined;
    default:
      return undefined;
  }
}

/** A quantifier over one character or one class (`\w+`, `.*`, `[a-z]{2,}`). */
function overOneCharacter(node: AST.Quantifier): boolean {
  const type = node.element.type;
  return type === "Character" || type === "CharacterClass" || type === "CharacterSet";
}

const unsafe = (message: string, suggestion?: string): RegexCheck => ({
  ok: false,
  code: "unsafe_filter",
  message,
  ...(suggestion ? { suggestion } : {}),
});

/** Checks a word filter's regular expression (matched case-insensitively, with `u`). */
export async function checkRegexFilter(pattern: string): Promise<RegexCheck> {
  if (pattern.length > MAX_REGEX_FILTER_LENGTH) {
    return unsafe(
      `A regular expression may have at most ${MAX_REGEX_FILTER_LENGTH} characters; split it into several filters.`,
    );
  }
  const [{ RegExpParser }, { analyse }] = await Promise.all([
    import("@eslint-community/regexpp"),
    import("scslre"),
  ]);
  let parsed: { pattern: AST.Pattern; flags: AST.Flags };
  try {
    const parser = new RegExpParser({ ecmaVersion: 2025 });
    parsed = {
      pattern: parser.parsePattern(pattern, 0, pattern.length, { unicode: true }),
      flags: parser.parseFlags("iu"),
    };
    new RegExp(pattern, "iu");
  } catch {
    return {
      ok: false,
      code: "invalid_filter",
      message: "The pattern is not a valid regular expression.",
    };
  }
  const nested = nestedQuantifier(parsed.pattern);
  if (nested) {
    return unsafe(
      `The pattern has nested quantifiers (${nested.raw}), which can take very long on some comments. Quantify single characters or classes instead, such as [a-z0-9 ]+.`,
    );
  }
  const result = analyse(parsed);
  for (const report of result.reports) {
    // Moving the start of the match over a simple `\w+` costs at most quadratic time on a
    // comment of bounded length; anything else can explode.
    if (report.type === "Move" && overOneCharacter(report.quant)) continue;
    const raw =
      report.type === "Trade"
        ? `${report.startQuant.raw} and ${report.endQuant.raw}`
        : report.type === "Self"
          ? report.parentQuant.raw
          : report.quant.raw;
    const fixed = report.fix();
    return unsafe(
      `The pattern can take very long on some comments: ${raw} can match the same text in many ways.${
        fixed ? ` An equivalent pattern without this problem: ${fixed.source}` : ""
      }`,
      fixed?.source,
    );
  }
  return { ok: true };
}
