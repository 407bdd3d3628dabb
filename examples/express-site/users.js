/**
 * The site's own members: a small JSON file with bcrypt password hashes. A real site keeps
 * them in its own database; Hearth never sees this file, only what `getMember` tells it.
 */
import { randomUUID } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import bcrypt from "bcryptjs";

/** bcrypt's work factor: about a quarter of a second per hash on a laptop. */
const COST = 12;
/** bcrypt reads at most 72 bytes of a password; longer ones are refused, not cut. */
export const PASSWORD_MAX_BYTES = 72;
export const PASSWORD_MIN_LENGTH = 10;

/**
 * @typedef {object} User
 * @property {string} id stable id, sent to Hearth as `sub`
 * @property {string} name display name
 * @property {string} email lowercased
 * @property {string} passwordHash bcrypt
 * @property {string} createdAt ISO time
 */

/**
 * A hash (of random text, cost 12) to compare against when the email is unknown, so that
 * answer takes as long as a wrong password and does not tell which emails have accounts.
 */
const NO_USER_HASH = "$2b$12$8hoACsrfg.lDo1TexNXc0O0kt7Ugj1E0.XFRJjZy9TReXjKOKnsHa";

export class UserStore {
  /** @type {User[]} */
  #users = [];
  #file;
  /** Writes run one after another, each writing the whole file. */
  #writing = Promise.resolve();

  /** @param {string} file */
  constructor(file) {
    this.#file = file;
  }

  /** Opens the store in `dir` (users.json), creating the folder when needed. */
  static async open(/** @type {string} */ dir) {
    await mkdir(dir, { recursive: true });
    const store = new UserStore(join(dir, "users.json"));
    try {
      store.#users = JSON.parse(await readFile(store.#file, "utf8")).users ?? [];
    } catch (error) {
      if (/** @type {NodeJS.ErrnoException} */ (error).code !== "ENOENT") throw error;
    }
    return store;
  }

  /** @param {string} id */
  byId(id) {
    return this.#users.find((user) => user.id === id) ?? null;
  }

  /**
   * Checks a sign-up form and creates the member; answers the errors by field instead when
   * the form needs another look.
   * @param {{name: string, email: string, password: string}} input
   * @returns {Promise<{user: User} | {errors: Record<string, string>}>}
   */
  async create(input) {
    const name = input.name.trim().replace(/\s+/g, " ");
    const email = input.email.trim().toLowerCase();
    /** @type {Record<string, string>} */
    const errors = {};
    if (name.length < 1 || name.length > 60) errors.name = "Enter a name of 1 to 60 characters.";
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254) {
      errors.email = "Enter an email address like name@example.com.";
    } else if (this.#users.some((user) => user.email === email)) {
      errors.email = "There is already an account with this email. Sign in instead.";
    }
    if (input.password.length < PASSWORD_MIN_LENGTH) {
      errors.password = `Use at least ${PASSWORD_MIN_LENGTH} characters.`;
    } else if (Buffer.byteLength(input.password) > PASSWORD_MAX_BYTES) {
      errors.password = `Use at most ${PASSWORD_MAX_BYTES} bytes (fewer characters with accents or emoji).`;
    }
    if (Object.keys(errors).length > 0) return { errors };

    const passwordHash = await bcrypt.hash(input.password, COST);
    // Checked again after the wait: two sign-ups with one email must not both get in.
    if (this.#users.some((user) => user.email === email)) {
      return { errors: { email: "There is already an account with this email. Sign in instead." } };
    }
    /** @type {User} */
    const user = {
      id: randomUUID(),
      name,
      email,
      passwordHash,
      createdAt: new Date().toISOString(),
    };
    this.#users.push(user);
    await this.#save();
    return { user };
  }

  /**
   * The member with this email and password, or null.
   * @param {string} email
   * @param {string} password
   */
  async verify(email, password) {
    const user = this.#users.find((candidate) => candidate.email === email.trim().toLowerCase());
    const ok = await bcrypt.compare(password, user?.passwordHash ?? NO_USER_HASH);
    return ok && user ? user : null;
  }

  /** Writes the file whole, through a temporary file, so a crash never leaves half of it. */
  #save() {
    const write = this.#writing.then(async () => {
      const temporary = `${this.#file}.${process.pid}.tmp`;
      await writeFile(temporary, `${JSON.stringify({ users: this.#users }, null, 2)}\n`, {
        mode: 0o600,
      });
      await rename(temporary, this.#file);
    });
    this.#writing = write.catch(() => {});
    return write;
  }
}
