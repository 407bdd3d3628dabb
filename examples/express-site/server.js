/**
 * A small membership site in Express with Hearth mounted at /community. The site keeps its
 * own members (sign-up and sign-in with a password, a session cookie); Hearth asks it who
 * is signed in through `getMember`, so the widgets on its pages need no token plumbing.
 *
 *   npm run example      (from the repository root; see README.md beside this file)
 */
import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import cookieSession from "cookie-session";
import express from "express";
import { createHearth } from "hearth";
import { articleBySlug, articles } from "./articles.js";
import { articlePage, homePage, messagePage, SITE_NAME, signInPage, signUpPage } from "./pages.js";
import { UserStore } from "./users.js";

const here = fileURLToPath(new URL(".", import.meta.url));
const port = Number(process.env.PORT ?? 3100);
const host = process.env.HOST ?? "localhost";
const siteUrl = (process.env.SITE_URL ?? `http://localhost:${port}`).replace(/\/+$/, "");
const dataDir = resolve(process.env.SITE_DATA_DIR ?? join(here, "data"));
const production = process.env.NODE_ENV === "production";

const users = await UserStore.open(dataDir);
const secrets = await loadSecrets(dataDir);

const hearth = await createHearth({
  env: {
    ...process.env,
    // Hearth's embedded database sits next to the site's data unless DATABASE_URL is set.
    HEARTH_DATA_DIR: process.env.HEARTH_DATA_DIR ?? join(dataDir, "hearth"),
    HEARTH_PUBLIC_URL: process.env.HEARTH_PUBLIC_URL ?? `${siteUrl}/community`,
    // For the site's own calls to Hearth's API (see protectThreads). Members come only from
    // getMember: with no HEARTH_SSO_SECRET, Hearth accepts no member tokens and has no demo.
    HEARTH_API_KEY: process.env.HEARTH_API_KEY ?? secrets.hearthApiKey,
  },
  // Who is signed in, from the site's own session: Hearth's member is the site's member.
  getMember(req) {
    const user = currentUser(req);
    return user ? { sub: user.id, name: user.name, email: user.email } : null;
  },
});

const app = express();
app.disable("x-powered-by");
// Behind a reverse proxy on the same machine, take the visitor's address and scheme from it.
app.set("trust proxy", "loopback");

// The session cookie: signed, not readable by scripts, not sent with cross-site requests.
app.use(
  cookieSession({
    name: "allotment_session",
    keys: [process.env.SESSION_SECRET ?? secrets.sessionSecret],
    httpOnly: true,
    sameSite: "lax",
    secure: production,
    maxAge: 30 * 24 * 60 * 60 * 1000,
  }),
);

// Hearth: the API and the widgets under /community, and the /.well-known documents it
// publishes (for federation) at the root, where they must be.
app.use("/community", hearth.router);
app.use(hearth.wellKnown);

app.use(express.static(join(here, "public"), { index: false, maxAge: "1h" }));

// The site's own pages.
app.use((_req, res, next) => {
  res.set({
    "Content-Security-Policy": [
      "default-src 'self'",
      "img-src 'self' data: https:",
      // The widgets set a colour per author in a style attribute.
      "style-src 'self' 'unsafe-inline'",
      "frame-ancestors 'none'",
      "form-action 'self'",
      "base-uri 'none'",
    ].join("; "),
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
  });
  next();
});

const forms = express.urlencoded({ extended: false, limit: "8kb", parameterLimit: 10 });
/** Ten wrong passwords per address and email in 15 minutes; 20 sign-ups per address an hour. */
const signInLimit = limiter(10, 15 * 60_000);
const signUpLimit = limiter(20, 60 * 60_000);

app.get("/", (req, res) => {
  res.type("html").send(homePage({ user: currentUser(req), articles }));
});

app.get("/articles/:slug", (req, res) => {
  const article = articleBySlug(req.params.slug);
  if (!article) return notFound(req, res);
  const url = `${siteUrl}/articles/${article.slug}`;
  res.type("html").send(articlePage({ user: currentUser(req), article, url }));
});

app.get("/signup", (req, res) => {
  const next = safeNext(req.query.next);
  if (currentUser(req)) return res.redirect(303, next);
  res.type("html").send(signUpPage({ user: null, next }));
});

app.post("/signup", sameOrigin, forms, async (req, res) => {
  const next = safeNext(req.body.next);
  const values = { name: text(req.body.name), email: text(req.body.email) };
  const address = req.ip ?? "";
  if (signUpLimit.spent(address)) return tooMany(req, res);
  signUpLimit.count(address);
  const result = await users.create({ ...values, password: text(req.body.password) });
  if ("errors" in result) {
    return res
      .status(422)
      .type("html")
      .send(signUpPage({ user: null, next, values, errors: result.errors }));
  }
  // A new session object is a new cookie: nothing from before the sign-up carries over.
  req.session = { userId: result.user.id };
  res.redirect(303, next);
});

app.get("/signin", (req, res) => {
  const next = safeNext(req.query.next);
  if (currentUser(req)) return res.redirect(303, next);
  res.type("html").send(signInPage({ user: null, next }));
});

app.post("/signin", sameOrigin, forms, async (req, res) => {
  const next = safeNext(req.body.next);
  const email = text(req.body.email);
  const tries = `${req.ip}|${email.trim().toLowerCase()}`;
  if (signInLimit.spent(tries)) return tooMany(req, res);
  const user = await users.verify(email, text(req.body.password));
  if (!user) {
    signInLimit.count(tries);
    return res
      .status(401)
      .type("html")
      .send(
        signInPage({
          user: null,
          next,
          values: { email },
          message: "That email and password do not match an account.",
        }),
      );
  }
  req.session = { userId: user.id };
  res.redirect(303, next);
});

app.post("/signout", sameOrigin, (req, res) => {
  req.session = null;
  res.redirect(303, "/");
});

app.use(notFound);

/** @type {import("express").ErrorRequestHandler} */
const onError = (error, _req, res, _next) => {
  console.error(error);
  if (res.headersSent) return;
  res
    .status(500)
    .type("html")
    .send(
      messagePage({
        user: null,
        title: "Something went wrong",
        text: "Please try again in a moment.",
      }),
    );
};
app.use(onError);

const server = app.listen(port, host, () => {
  console.log(`${SITE_NAME} is listening on ${siteUrl} (community at ${siteUrl}/community)`);
  void protectThreads();
});

for (const signal of /** @type {const} */ (["SIGINT", "SIGTERM"])) {
  process.once(signal, async () => {
    server.close();
    server.closeAllConnections();
    await hearth.close();
    process.exit(0);
  });
}

// --- Helpers ---------------------------------------------------------------------------------

/** @param {import("express").Request} req */
function currentUser(req) {
  const id = req.session?.userId;
  return typeof id === "string" ? users.byId(id) : null;
}

/** A form field as text (missing or repeated fields count as empty). */
function text(/** @type {unknown} */ value) {
  return typeof value === "string" ? value : "";
}

/** Where to go after signing in: a path on this site, never another site. */
function safeNext(/** @type {unknown} */ value) {
  return typeof value === "string" && /^\/(?![/\\])/.test(value) ? value : "/";
}

/**
 * Refuses a form posted from another site (CSRF): browsers say where a request comes from in
 * Sec-Fetch-Site, and older ones in Origin. The SameSite cookie already keeps the session out
 * of such requests; this also stops another site signing a visitor in to an account of its
 * choosing.
 * @type {import("express").RequestHandler}
 */
function sameOrigin(req, res, next) {
  if (!isCrossSite(req)) return next();
  res
    .status(403)
    .type("html")
    .send(
      messagePage({
        user: null,
        title: "Form from another site",
        text: "This form was sent from another site, so it was not accepted.",
      }),
    );
}

/** @param {import("express").Request} req */
function isCrossSite(req) {
  const site = req.get("sec-fetch-site");
  if (site) return site !== "same-origin" && site !== "none";
  const origin = req.get("origin");
  if (!origin) return false;
  try {
    return new URL(origin).host !== req.get("host");
  } catch {
    return true; // "null" (a sandboxed frame, a redirect from elsewhere) or nonsense
  }
}

/** @type {import("express").RequestHandler} */
function notFound(req, res) {
  res
    .status(404)
    .type("html")
    .send(
      messagePage({
        user: currentUser(req),
        title: "Page not found",
        text: "There is no page at this address.",
      }),
    );
}

/**
 * @param {import("express").Request} req
 * @param {import("express").Response} res
 */
function tooMany(req, res) {
  res
    .status(429)
    .set("Retry-After", "900")
    .type("html")
    .send(
      messagePage({
        user: currentUser(req),
        title: "Too many tries",
        text: "Please wait a few minutes and try again.",
      }),
    );
}

/**
 * Counts tries per key (an address, an address and email) in a window of time; a key that
 * has had `max` tries waits until its window ends.
 * @param {number} max
 * @param {number} windowMs
 */
function limiter(max, windowMs) {
  /** @type {Map<string, {count: number, resetAt: number}>} */
  const tries = new Map();
  /** @param {string} key */
  const current = (key) => {
    const entry = tries.get(key);
    return entry && entry.resetAt > Date.now() ? entry : null;
  };
  return {
    /** Whether the key has had all its tries. @param {string} key */
    spent: (key) => (current(key)?.count ?? 0) >= max,
    /** Counts one try. @param {string} key */
    count(key) {
      const entry = current(key);
      if (entry) {
        entry.count++;
        return;
      }
      if (tries.size > 10_000) {
        for (const [other, old] of tries) if (old.resetAt <= Date.now()) tries.delete(other);
      }
      tries.set(key, { count: 1, resetAt: Date.now() + windowMs });
    },
  };
}

/**
 * The site's secrets, made once and kept in the data folder (readable by its owner only),
 * unless they are set in the environment.
 * @param {string} dir
 */
async function loadSecrets(dir) {
  await mkdir(dir, { recursive: true });
  const file = join(dir, "secrets.json");
  try {
    return JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    if (/** @type {NodeJS.ErrnoException} */ (error).code !== "ENOENT") throw error;
  }
  const secrets = {
    sessionSecret: randomBytes(32).toString("base64url"),
    hearthApiKey: randomBytes(32).toString("base64url"),
  };
  await writeFile(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600, flag: "wx" });
  return secrets;
}

/**
 * The articles are for members, so their discussions are too: each article's thread is set
 * to members-only reading through Hearth's API with the site's API key (so the comments are
 * not readable from the API by visitors who are not signed in).
 */
async function protectThreads() {
  const address = server.address();
  if (!address || typeof address === "string") return;
  const ip = { "0.0.0.0": "127.0.0.1", "::": "::1" }[address.address] ?? address.address;
  const base = `http://${ip.includes(":") ? `[${ip}]` : ip}:${address.port}`;
  for (const article of articles) {
    const key = encodeURIComponent(`articles/${article.slug}`);
    try {
      const response = await fetch(`${base}/community/api/threads/${key}`, {
        method: "PUT",
        headers: {
          authorization: `Bearer ${process.env.HEARTH_API_KEY ?? secrets.hearthApiKey}`,
          "content-type": "application/json",
        },
        body: JSON.stringify({
          title: article.title,
          url: `${siteUrl}/articles/${article.slug}`,
          read: "members",
        }),
      });
      if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
    } catch (error) {
      console.error(`Could not make the discussion of ${article.slug} members-only:`, error);
    }
  }
}
