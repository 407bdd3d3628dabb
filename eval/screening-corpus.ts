/**
 * Generates the labelled screening corpus in tests/fixtures/screening-corpus.json:
 * ordinary members (names in several languages, ordinary mail providers, human timing,
 * ordinary first comments) and bots using varied tactics, some of them imitating members
 * well. Deterministic (seeded), so the committed file can be regenerated exactly:
 *
 *   node_modules/.bin/tsx eval/screening-corpus.ts
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export interface CorpusEntry {
  id: string;
  label: "member" | "bot";
  /** How the entry was made: `member`, or the bot's tactic. */
  tactic: string;
  /** Seconds since the start of the corpus. */
  at: number;
  ip: string;
  name: string;
  email: string;
  honeypot: string;
  elapsedMs: number;
  /** The proof-of-work as the client sent it. */
  pow: "solved" | "missing" | "invalid";
  firstPost: string;
}

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = rng(20261123);
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
const between = (min: number, max: number) => min + random() * (max - min);
const int = (min: number, max: number) => Math.floor(between(min, max + 1));

const NAMES: Record<string, { first: string[]; last: string[] }> = {
  en: {
    first: [
      "James",
      "Emily",
      "Oliver",
      "Sophie",
      "Michael",
      "Hannah",
      "Daniel",
      "Grace",
      "Thomas",
      "Chloe",
      "Ryan",
      "Megan",
    ],
    last: [
      "Smith",
      "Johnson",
      "Brown",
      "Taylor",
      "Wilson",
      "Davies",
      "Evans",
      "Walker",
      "Wright",
      "Thompson",
      "Hughes",
      "Clarke",
    ],
  },
  de: {
    first: [
      "Jürgen",
      "Katrin",
      "Lukas",
      "Anja",
      "Matthias",
      "Sabine",
      "Florian",
      "Birgit",
      "Sebastian",
      "Ute",
    ],
    last: [
      "Müller",
      "Schwarzkopf",
      "Becker",
      "Hoffmann",
      "Schröder",
      "Krüger",
      "Zimmermann",
      "Weißmann",
      "Fuchs",
      "Vogt",
    ],
  },
  fr: {
    first: [
      "Élodie",
      "Mathieu",
      "Camille",
      "Antoine",
      "Séverine",
      "Guillaume",
      "Aurélie",
      "Benoît",
      "Margaux",
      "Clément",
    ],
    last: [
      "Dubois",
      "Lefèvre",
      "Moreau",
      "Girard",
      "Rousseau",
      "Fontaine",
      "Chevalier",
      "Lambert",
      "Bonnet",
      "Mercier",
    ],
  },
  es: {
    first: [
      "María",
      "José",
      "Lucía",
      "Javier",
      "Carmen",
      "Alejandro",
      "Pilar",
      "Sergio",
      "Nuria",
      "Álvaro",
    ],
    last: [
      "García",
      "Fernández",
      "González",
      "Rodríguez",
      "López",
      "Martínez",
      "Sánchez",
      "Pérez",
      "Jiménez",
      "Ruiz",
    ],
  },
  pl: {
    first: [
      "Małgorzata",
      "Krzysztof",
      "Agnieszka",
      "Grzegorz",
      "Katarzyna",
      "Wojciech",
      "Zbigniew",
      "Jadwiga",
    ],
    last: [
      "Szczepańska",
      "Wiśniewski",
      "Kowalczyk",
      "Grzybowski",
      "Przybylski",
      "Krzyżanowska",
      "Zając",
      "Chrzanowski",
    ],
  },
  sv: {
    first: ["Anna", "Lars", "Ingrid", "Björn", "Astrid", "Sven", "Karin", "Håkan"],
    last: [
      "Lindqvist",
      "Andersson",
      "Bergström",
      "Sjögren",
      "Lundqvist",
      "Nyström",
      "Holmqvist",
      "Ekström",
    ],
  },
  vi: {
    first: ["Nguyễn Thị", "Trần Văn", "Lê Thị", "Phạm Minh", "Hoàng Anh"],
    last: ["Minh", "Hương", "Dũng", "Lan", "Tuấn"],
  },
  yo: {
    first: ["Oluwaseun", "Chinwe", "Adebayo", "Ngozi", "Oluwadamilare", "Chukwuemeka"],
    last: ["Adeyemi", "Okonkwo", "Babatunde", "Eze", "Ogunleye", "Nwachukwu"],
  },
  ja: {
    first: ["Haruki", "Yuki", "Takeshi", "Sakura", "Kenji", "Aiko"],
    last: ["Tanaka", "Watanabe", "Yamamoto", "Nakamura", "Kobayashi", "Takahashi"],
  },
  el: {
    first: ["Τάσος", "Ελένη", "Γιώργος", "Μαρία"],
    last: ["Παπαδόπουλος", "Νικολάου", "Γεωργίου"],
  },
  zh: { first: ["小龍", "美玲", "建國", "淑芬"], last: ["李", "王", "張", "陳"] },
  ar: { first: ["أحمد", "فاطمة", "يوسف", "ليلى"], last: ["الحسن", "منصور", "الخطيب"] },
  cy: {
    first: ["Rhys", "Gwyneth", "Dafydd", "Llinos"],
    last: ["Llwyd", "Pryce", "Gwynfryn", "Cwmcynfelyn"],
  },
};
const PROVIDERS = [
  "gmail.com",
  "gmail.com",
  "gmail.com",
  "outlook.com",
  "yahoo.com",
  "icloud.com",
  "gmx.de",
  "web.de",
  "posteo.de",
  "proton.me",
  "orange.fr",
  "free.fr",
  "hotmail.com",
  "wp.pl",
  "mail.ru",
  "yandex.ru",
  "qq.com",
  "university.edu",
  "company.example",
];
const DISPOSABLE = [
  "mailinator.com",
  "guerrillamail.com",
  "10minutemail.com",
  "yopmail.com",
  "trashmail.com",
  "sharklasers.com",
  "temp-mail.org",
  "dispostable.com",
  "maildrop.cc",
  "getnada.com",
];

const MEMBER_POSTS = [
  "I really enjoyed this piece. The part about onboarding new members matched my experience exactly.",
  "Thanks for writing this up! Could you share which tools you used for the survey?",
  "I disagree a little with the conclusion: in our club the monthly meetups mattered more than the newsletter.",
  "Great article. My only question is how this works for smaller communities with under 100 members.",
  "Does anyone know if the workshop recordings will be available later?",
  "Danke für den Artikel! Genau das haben wir im Verein auch erlebt.",
  "Merci pour cet article, très utile pour notre association.",
  "¡Muy buen artículo! Lo comparto con mi equipo.",
  "Świetny tekst, dzięki! Czekam na kolejną część.",
  "Tack för en bra artikel, mycket intressant läsning.",
  "Interesting. I wrote something similar last year: https://myblog.example/community-notes — curious what you think.",
  "This reminded me of the study mentioned here https://en.wikipedia.org/wiki/Dunbar%27s_number which is worth a read.",
  "Been a member for three years and this is the best update so far. Keep it up!",
  "Small typo in the third paragraph: 'there' should be 'their'. Otherwise great.",
  "How do I change my email notifications? I could not find the setting.",
  "We tried the same approach with our book club and it worked well for about six months.",
  "+1 to the idea of regional groups.",
  "とても参考になりました。ありがとうございます。",
  "非常有用的文章，谢谢分享。",
  "Looking forward to the next meetup in Lyon!",
  "I'm new here — hello everyone! Found the community through the podcast.",
  "Could the next issue cover pricing tiers? We are struggling with that right now.",
  "Two useful resources: https://docs.example.org/guide and https://www.example.com/faq for anyone setting this up.",
  "Honest question: how do you keep moderation fair when the group grows?",
];

const SPAM_POSTS = [
  "Earn $500 per day working from home! Click here https://cash.example/join https://cash.example/bonus https://cash.example/now",
  "Best online casino bonus, play slots and poker now at https://casino.example and win the jackpot",
  "Buy cheap followers and likes for Instagram https://followers.example guaranteed delivery",
  "Crypto trading signals with guaranteed profit! Message me on WhatsApp +1 555 0134 567 for returns",
  "Cheap viagra and cialis pharmacy online without prescription https://pills.example",
  "Check out my profile for exclusive content https://onlyfans.example/hot",
  "Need essay writing help? Visit my site https://essays.example https://essays.example/order",
  "Payday loan approval in 5 minutes https://loans.example no credit check https://loans.example/apply",
];
const COPY_TEXT =
  "Wow this is exactly what I needed today, amazing content and very helpful for everyone, I will share it with all my friends";
const IMITATOR_POSTS = [
  "Great article, thanks for sharing! I wrote about a similar topic on my blog https://seo-blog.example/post",
  "Very informative post. Keep up the good work!",
  "Nice read. Bookmarked for later.",
  "Thanks for this, really helpful for beginners like me.",
  "I agree with most points here, especially about consistency.",
  "This is a great resource, I found another one at https://resource-hub.example that complements it",
];

const OPENERS = [
  "",
  "",
  "Hi all,",
  "Hello!",
  "Hey,",
  "Quick note:",
  "As a long-time reader,",
  "Hallo zusammen,",
  "Bonjour,",
  "Hola,",
];
const DETAILS = [
  (n: number) => `We are ${n} people in our group now.`,
  (n: number) => `I have been a member since ${2010 + (n % 15)}.`,
  (n: number) =>
    `Greetings from ${["Leeds", "Graz", "Lyon", "Sevilla", "Gdańsk", "Uppsala", "Osaka", "Lagos", "Porto", "Ghent"][n % 10]}.`,
  (n: number) =>
    `Our meetup is on the ${["first", "second", "third", "last"][n % 4]} ${["Monday", "Tuesday", "Thursday", "Saturday"][n % 4 === 0 ? 1 : n % 4]} of the month.`,
  (n: number) =>
    `My ${["daughter", "partner", "colleague", "neighbour", "brother"][n % 5]} sent me this link.`,
  (n: number) =>
    `Reading this on the ${["train", "bus", "sofa", "balcony", "night shift"][n % 5]}.`,
  () => "",
];

/** A member's own first post: a common remark in their own words and details. */
function memberPost(): string {
  return [pick(OPENERS), pick(MEMBER_POSTS), pick(DETAILS)(int(3, 400)), pick(DETAILS)(int(3, 400))]
    .filter(Boolean)
    .join(" ");
}

let seq = 0;
const id = () => `e${String(++seq).padStart(4, "0")}`;

function publicIp(): string {
  let first = int(11, 223);
  while ([127, 169, 172, 192, 100].includes(first)) first = int(11, 223);
  return `${first}.${int(0, 255)}.${int(0, 255)}.${int(1, 254)}`;
}

function ipv6(): string {
  const g = () => int(0, 65535).toString(16);
  return `2a02:${g()}:${g()}:${g()}:${g()}:${g()}:${g()}:${g()}`;
}

function strip(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/ł/g, "l")
    .replace(/ß/g, "ss")
    .toLowerCase()
    .replace(/[^a-z]/g, "");
}

function personName(): { name: string; first: string; last: string } {
  const lang = pick(Object.keys(NAMES));
  const { first, last } = NAMES[lang]!;
  const f = pick(first);
  const l = pick(last);
  const name = lang === "zh" ? `${l}${f}` : `${f} ${l}`;
  return { name, first: f, last: l };
}

function personEmail(first: string, last: string, domain = pick(PROVIDERS)): string {
  let f = strip(first);
  let l = strip(last);
  if (!f) f = pick(["wei", "ahmed", "nikos", "maria", "li"]);
  if (!l) l = pick(["chen", "hassan", "papa", "wang"]);
  const local = pick([
    `${f}.${l}`,
    `${f}${l}`,
    `${f[0]}.${l}`,
    `${f}${int(1960, 2005)}`,
    `${f}.${l}${int(1, 99)}`,
    `${l}.${f}`,
    `${f}_${l}`,
  ]);
  return `${local}@${domain}`;
}

function randomString(length: number, digits = true): string {
  const letters = "bcdfghjklmnpqrstvwxzaeiou";
  const chars = digits ? `${letters}0123456789` : letters;
  let out = "";
  for (let i = 0; i < length; i++) {
    // skew towards consonants and digits, like generated handles
    out += random() < 0.7 ? chars[int(0, 19)] : chars[int(0, chars.length - 1)];
  }
  return out;
}

function humanTiming(): number {
  // log-normal around 15 s; a few password-manager fills at 2-4 s
  if (random() < 0.05) return Math.round(between(2000, 4000));
  return Math.round(Math.exp(between(Math.log(4500), Math.log(90_000))));
}

function variant(text: string): string {
  const forms = [
    (t: string) => t,
    (t: string) => t.toUpperCase(),
    (t: string) => `${t}!!!`,
    (t: string) => t.replace(/,/g, ""),
    (t: string) => `${t} :)`,
  ];
  return pick(forms)(text);
}

export function generateCorpus(): CorpusEntry[] {
  const entries: CorpusEntry[] = [];
  const hours = 72 * 3600;

  // Ordinary members, spread over three days; a few share an office or campus /24.
  const offices = [publicIp(), publicIp(), publicIp()].map((ip) =>
    ip.split(".").slice(0, 3).join("."),
  );
  for (let i = 0; i < 400; i++) {
    const { name, first, last } = personName();
    const office = random() < 0.06 ? pick(offices) : undefined;
    entries.push({
      id: id(),
      label: "member",
      tactic: "member",
      at: Math.round(between(0, hours)),
      ip: office ? `${office}.${int(1, 254)}` : random() < 0.15 ? ipv6() : publicIp(),
      name: random() < 0.08 ? strip(first) + int(1, 99) : name,
      email: personEmail(first, last),
      honeypot: "",
      elapsedMs: humanTiming(),
      pow: random() < 0.97 ? "solved" : "missing",
      firstPost: memberPost(),
    });
  }

  const bot = (tactic: string, fields: Partial<CorpusEntry>): void => {
    const { first, last } = personName();
    entries.push({
      id: id(),
      label: "bot",
      tactic,
      at: Math.round(between(0, hours)),
      ip: publicIp(),
      name: `${first} ${last}`,
      email: personEmail(first, last),
      honeypot: "",
      elapsedMs: Math.round(between(3000, 20_000)),
      pow: "solved",
      firstPost: memberPost(),
      ...fields,
    });
  };

  // 1. Disposable mailboxes with random handles.
  for (let i = 0; i < 35; i++) {
    const handle = randomString(int(7, 11));
    bot("disposable", {
      name: random() < 0.5 ? handle : personName().name,
      email: `${random() < 0.5 ? handle : randomString(9)}@${pick(DISPOSABLE)}`,
      elapsedMs: Math.round(between(800, 6000)),
      pow: pick(["solved", "missing"] as const),
      firstPost: random() < 0.5 ? pick(SPAM_POSTS) : pick(MEMBER_POSTS),
    });
  }
  // 2. Bursts from one subnet: four waves of 12 within ten minutes, realistic names.
  for (let wave = 0; wave < 4; wave++) {
    const subnet = publicIp().split(".").slice(0, 3).join(".");
    const start = Math.round(between(0, hours - 3600));
    for (let i = 0; i < 12; i++) {
      bot("subnet_burst", {
        at: start + int(0, 600),
        ip: `${subnet}.${int(1, 254)}`,
        elapsedMs: Math.round(between(1500, 8000)),
        firstPost: random() < 0.3 ? pick(SPAM_POSTS) : pick(IMITATOR_POSTS),
      });
    }
  }
  // 3. Random names on ordinary providers, scripted without the widget's proof-of-work.
  for (let i = 0; i < 30; i++) {
    const handle = randomString(int(8, 12));
    bot("random_name", {
      name: random() < 0.5 ? handle : `${randomString(6, false)} ${randomString(7, false)}`,
      email: `${randomString(int(8, 12))}@${pick(["gmail.com", "outlook.com", "yahoo.com"])}`,
      pow: pick(["missing", "missing", "invalid", "solved"] as const),
    });
  }
  // 4. Link spam from accounts that look ordinary.
  for (let i = 0; i < 40; i++) bot("link_spam", { firstPost: pick(SPAM_POSTS) });
  // 5. Instant submits.
  for (let i = 0; i < 30; i++) {
    bot("instant", {
      elapsedMs: int(80, 900),
      pow: pick(["solved", "missing"] as const),
      firstPost: pick([...IMITATOR_POSTS, ...SPAM_POSTS]),
    });
  }
  // 6. One text copied from many accounts within a day.
  const campaign = Math.round(between(0, hours - 20 * 3600));
  for (let i = 0; i < 25; i++) {
    bot("copied_text", { at: campaign + int(0, 20 * 3600), firstPost: variant(COPY_TEXT) });
  }
  // 7. Honeypot fillers.
  for (let i = 0; i < 20; i++) {
    bot("honeypot", {
      honeypot: pick(["http://spam.example", "John", "1", "yes"]),
      elapsedMs: Math.round(between(500, 10_000)),
    });
  }
  // 8. Imitators: human timing, solved proof-of-work, own address, a bland first post.
  for (let i = 0; i < 30; i++) {
    bot("imitator", {
      elapsedMs: humanTiming(),
      ip: random() < 0.2 ? ipv6() : publicIp(),
      firstPost: pick(IMITATOR_POSTS),
    });
  }
  return entries.sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));
}

export const CORPUS_PATH = fileURLToPath(
  new URL("../tests/fixtures/screening-corpus.json", import.meta.url),
);

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const corpus = generateCorpus();
  writeFileSync(CORPUS_PATH, `${JSON.stringify(corpus, null, 1)}\n`);
  console.log(`wrote ${corpus.length} entries to ${CORPUS_PATH}`);
}
