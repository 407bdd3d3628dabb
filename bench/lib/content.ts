/**
 * Realistic discussion content: comment bodies with the Markdown people actually write,
 * and a thread model that grows a reply tree the way discussions grow, with replies
 * drawn to recent and to popular comments.
 */

const WORDS = (
  "the a an and or but so because if when while that this these those it its they them " +
  "we you i he she my your our their not no yes just really quite very also still even " +
  "is was are were be been have has had do does did can could would should will might " +
  "think agree disagree point idea question answer reason example case problem issue fix " +
  "membership members community course lesson video chapter module plan price tier access " +
  "post thread reply comment discussion week month year today yesterday tomorrow time " +
  "work works working worked try tried trying use used using make made see saw read wrote " +
  "good great better best bad worse worst new old first last next other same different " +
  "setup config database server page site email login account newsletter event workshop " +
  "thanks thank sorry maybe probably actually honestly definitely exactly basically " +
  "people everyone someone anyone nobody group team host moderator editor beginner expert " +
  "about after before from into over under with without between through during against " +
  "more most less least many much few some any every each all both either neither"
).split(" ");

const LINKS = [
  "https://example.com/docs/getting-started",
  "https://example.org/blog/2024/05/what-we-learned",
  "https://en.wikipedia.org/wiki/Preferential_attachment",
  "https://example.net/forum/t/12345",
];

const CODE = [
  "npm install",
  "git pull --rebase",
  "SELECT count(*) FROM members;",
  "export HEARTH_PUBLIC_URL=https://talk.example.com",
  "docker compose up -d",
];

type Random = () => number;

const pick = <T>(random: Random, list: readonly T[]): T =>
  list[Math.floor(random() * list.length)]!;

/** A standard normal deviate (Box–Muller). */
function normal(random: Random): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

function word(random: Random): string {
  const w = pick(random, WORDS);
  const r = random();
  if (r < 0.04) return `**${w}**`;
  if (r < 0.07) return `_${w}_`;
  if (r < 0.09) return `\`${pick(random, CODE)}\``;
  if (r < 0.094) return `[${w}](${pick(random, LINKS)})`;
  return w;
}

function sentence(random: Random): string {
  const length = 5 + Math.floor(random() * 16);
  const words = Array.from({ length }, () => word(random));
  const first = words[0]!;
  words[0] = first.charAt(0).toUpperCase() + first.slice(1);
  return `${words.join(" ")}${pick(random, [".", ".", ".", "?", "!"])}`;
}

/**
 * A comment body: lengths log-normal with a median near 200 characters (most a sentence or
 * two, a few several paragraphs), with emphasis, links, inline code, quotes, lists and
 * code blocks.
 */
export function commentBody(random: Random): string {
  const target = Math.min(4000, Math.max(15, Math.round(140 * Math.exp(0.9 * normal(random)))));
  const blocks: string[] = [];
  if (random() < 0.06) blocks.push(`> ${sentence(random)}`);
  let paragraph: string[] = [];
  let length = 0;
  while (length < target) {
    const r = random();
    if (r < 0.015 && length > 0) {
      const items = 2 + Math.floor(random() * 3);
      blocks.push(Array.from({ length: items }, () => `- ${sentence(random)}`).join("\n"));
    } else if (r < 0.02) {
      blocks.push(`\`\`\`\n${pick(random, CODE)}\n${pick(random, CODE)}\n\`\`\``);
    } else {
      const text = sentence(random);
      paragraph.push(text);
      length += text.length;
      if (random() < 0.3) {
        blocks.push(paragraph.join(" "));
        paragraph = [];
      }
      continue;
    }
    length += blocks.at(-1)!.length;
  }
  if (paragraph.length) blocks.push(paragraph.join(" "));
  return blocks.join("\n\n").slice(0, 9_000);
}

interface Node {
  id: number;
  depth: number;
  parent: Node | undefined;
  replies: number;
}

export interface ThreadModelOptions {
  /** Share of new comments that are top-level (default 0.25). */
  topLevelShare?: number;
  /** Deepest reply (a top-level comment has depth 0; default 8). */
  maxDepth?: number;
}

/**
 * The shape of a growing thread. A reply goes, most of the time, to one of the recent
 * comments (weighted by how many replies they already drew and by how recent they are),
 * otherwise to any comment with a probability proportional to its replies plus one
 * (preferential attachment).
 */
export class ThreadModel {
  private readonly nodes: Node[] = [];
  /** Each node once, plus once per reply it received: uniform picks here are preferential. */
  private readonly attachment: Node[] = [];
  private readonly byId = new Map<number, Node>();
  private readonly topLevelShare: number;
  private readonly maxDepth: number;

  constructor(
    private readonly random: Random,
    options: ThreadModelOptions = {},
  ) {
    this.topLevelShare = options.topLevelShare ?? 0.25;
    this.maxDepth = options.maxDepth ?? 8;
  }

  get size(): number {
    return this.nodes.length;
  }

  /** Where the next comment goes: undefined for top-level, else the id of its parent. */
  nextParent(): number | undefined {
    const random = this.random;
    if (this.nodes.length === 0 || random() < this.topLevelShare) return undefined;
    let parent: Node;
    if (random() < 0.85) {
      const window = this.nodes.slice(-150);
      const weights = window.map(
        (node, i) => (1 + 2 * node.replies) * Math.exp(-(window.length - 1 - i) / 40),
      );
      let r = random() * weights.reduce((a, b) => a + b, 0);
      let index = 0;
      while (index < window.length - 1 && r >= weights[index]!) r -= weights[index++]!;
      parent = window[index]!;
    } else {
      parent = pick(random, this.attachment);
    }
    while (parent.depth >= this.maxDepth && parent.parent) parent = parent.parent;
    return parent.id;
  }

  /** Records a posted comment. */
  add(id: number, parentId: number | undefined): void {
    const parent = parentId === undefined ? undefined : this.byId.get(parentId);
    const node: Node = { id, depth: parent ? parent.depth + 1 : 0, parent, replies: 0 };
    this.nodes.push(node);
    this.byId.set(id, node);
    this.attachment.push(node);
    if (parent) {
      parent.replies++;
      this.attachment.push(parent);
    }
  }

  /** Any comment, with preference for popular ones (for reactions). */
  popularComment(): number {
    return pick(this.random, this.attachment).id;
  }

  /** Depth histogram and the share of top-level comments, for the report. */
  shape(): { topLevel: number; maxDepth: number; maxReplies: number } {
    let topLevel = 0;
    let maxDepth = 0;
    let maxReplies = 0;
    for (const node of this.nodes) {
      if (node.depth === 0) topLevel++;
      maxDepth = Math.max(maxDepth, node.depth);
      maxReplies = Math.max(maxReplies, node.replies);
    }
    return { topLevel, maxDepth, maxReplies };
  }
}
