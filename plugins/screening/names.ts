import type { ScreeningSignal } from "./types.ts";

/** Letter pairs that almost never occur in names or words of European languages. */
const RARE_PAIRS =
  /(qx|qz|qj|qk|qg|qv|qw|qy|qp|qf|qh|qb|qc|qd|qm|qn|qt|qs|ql|qr|jx|jq|jz|jv|jw|jf|jg|jk|jp|jt|jb|jc|jd|jl|jm|jr|js|xj|xq|xz|xk|xg|xv|xr|xd|xb|xn|xm|xf|xw|zx|zq|zj|vq|vx|vj|vz|vk|vf|vw|vb|vg|vm|vp|wq|wx|wj|wz|wv|kq|kx|kz|fq|fx|fz|fj|fv|gq|gx|gz|gv|gj|hx|hq|hz|hj|bq|bx|bz|pq|px|pz|pv|cj|cx|cv|cq|dq|dx|mq|mx|mz|tq|tx|lq|lx|sx|sz|yq|yy)/g;

/**
 * How random a Latin-script token looks, 0 (a name) to 1 (keyboard noise): letters mixed
 * with digits, long consonant runs, vowel-less stretches, rare letter pairs and case flips.
 * Tokens in other scripts score 0: the heuristics only know Latin spelling.
 */
export function randomness(token: string): number {
  if (token.length < 5 || !/^[\p{Script=Latin}0-9]+$/u.test(token)) return 0;
  const lower = token
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase();
  const letters = lower.replace(/[^a-z]/g, "");
  const digits = lower.replace(/[^0-9]/g, "").length;
  let points = 0;
  // digits interleaved with letters: "k8sj2hd9" (but not "anna1987")
  const switches = (lower.match(/[a-z][0-9]|[0-9][a-z]/g) ?? []).length;
  if (digits >= 2 && switches >= 3) points += 0.5;
  else if (digits >= 1 && switches >= 2) points += 0.25;
  if (letters.length >= 5) {
    const vowels = (letters.match(/[aeiouy]/g) ?? []).length / letters.length;
    if (vowels < 0.15) points += 0.45;
    else if (vowels < 0.22) points += 0.15;
    const run = Math.max(...(letters.match(/[^aeiouy]+/g) ?? [""]).map((r) => r.length));
    if (run >= 5) points += 0.35;
    else if (run >= 4 && !/(sch|tsch|chs|ngst|rzy|szcz|cz|sz)/.test(letters)) points += 0.1;
    const rare = (letters.match(RARE_PAIRS) ?? []).length;
    points += rare >= 2 ? Math.min(rare * 0.15, 0.5) : rare * 0.1;
  }
  // cAsE flips inside a token: "xKqPzT"
  const flips = (token.match(/[a-z][A-Z]/g) ?? []).length;
  if (flips >= 2) points += 0.3;
  return Math.min(points, 1);
}

function worst(text: string): number {
  return Math.max(0, ...text.split(/[\s._\-+]+/).map(randomness));
}

/** Names and email addresses that look generated rather than chosen. */
export const namesSignal: ScreeningSignal = {
  name: "improbable_name",
  kinds: ["signup"],
  async score(input) {
    const name = input.name ?? input.username;
    const local = input.email?.split("@")[0];
    // Only clearly generated strings count; a rare spelling alone does not.
    const clear = (value: number) => (value >= 0.5 ? value : 0);
    const nameScore = name ? clear(worst(name)) : 0;
    const localScore = local ? clear(worst(local)) : 0;
    const score = Math.round(nameScore * 40 + localScore * 20);
    if (score < 15) return null;
    const what = nameScore >= localScore ? `The name "${name}"` : `The email address "${local}@…"`;
    return { score, reason: `${what} looks randomly generated.` };
  },
};
