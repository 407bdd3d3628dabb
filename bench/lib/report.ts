/**
 * Tables for the terminal and for docs/benchmarks.md. Each benchmark owns one `## ` section
 * of that file and rewrites only that section, so the figures there are always measured.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { repoRoot } from "./server.ts";

export const benchmarksDoc = join(repoRoot, "docs", "benchmarks.md");

export type Table = { headers: string[]; rows: string[][]; align?: ("l" | "r")[] };

export function markdownTable({ headers, rows, align }: Table): string {
  const rule = headers.map((_, i) => ((align?.[i] ?? "l") === "r" ? "---:" : "---"));
  return [headers, rule, ...rows].map((cells) => `| ${cells.join(" | ")} |`).join("\n");
}

export function textTable({ headers, rows, align }: Table): string {
  const widths = headers.map((header, i) =>
    Math.max(header.length, ...rows.map((row) => (row[i] ?? "").length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) =>
        (align?.[i] ?? "l") === "r" ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!),
      )
      .join("  ")
      .trimEnd();
  return [line(headers), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** `2 cores (AMD EPYC …), 24 GB RAM, Linux 6.1` */
export function machine(): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.replace(/\s+/g, " ").trim();
  const memory = Math.round(os.totalmem() / 1024 ** 3);
  return `${cpus.length} cores${model ? ` (${model})` : ""}, ${memory} GB RAM, ${os.type()} ${os.release()}`;
}

/**
 * Replaces the section that starts with `heading` (up to the next `## ` heading) with
 * `body`, or appends it; other sections are left as they are.
 */
export function writeSection(heading: string, body: string, file = benchmarksDoc): void {
  const section = `${heading}\n\n${body.trim()}\n`;
  const current = existsSync(file)
    ? readFileSync(file, "utf8")
    : "# Benchmarks\n\nEach section is written by its benchmark (`npm run bench -- <name>`); run it again to refresh the figures.\n";
  const lines = current.split("\n");
  const start = lines.findIndex((line) => line.trim() === heading);
  let next: string;
  if (start === -1) {
    next = `${current.trimEnd()}\n\n${section}`;
  } else {
    let end = lines.findIndex((line, i) => i > start && /^##\s/.test(line));
    if (end === -1) end = lines.length;
    const before = lines.slice(0, start).join("\n").trimEnd();
    const after = lines.slice(end).join("\n").trim();
    next = `${before ? `${before}\n\n` : ""}${section}${after ? `\n${after}\n` : ""}`;
  }
  writeFileSync(file, next);
}
