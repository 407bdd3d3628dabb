/** A real SMTP server for tests and the benchmark (smtp-server), parsing mail with mailparser. */
import { type AddressInfo, createServer } from "node:net";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface TestSmtp {
  port: number;
  url: string;
  messages: ParsedMail[];
  /** Resolves once `count` messages in all have arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<ParsedMail[]>;
  /** Stops accepting connections (SMTP down); `start` listens on the same port again. */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface SmtpOptions {
  port?: number;
  /** Parse each message (false counts raw messages only, for the benchmark). */
  parse?: boolean;
  /** Called with each message before it is accepted; throw to refuse it. */
  onMessage?: (raw: Buffer) => Promise<void> | void;
  listen?: boolean;
}

export async function startSmtp(options: SmtpOptions = {}): Promise<TestSmtp> {
  const port = options.port ?? (await freePort());
  const messages: ParsedMail[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  let server: SMTPServer | undefined;
  const create = () =>
    new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS", "AUTH"],
      logger: false,
      size: 10 * 1024 * 1024,
      onData(stream, _session, callback) {
        const chunks: Buffer[] = [];
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.on("end", async () => {
          const raw = Buffer.concat(chunks);
          try {
            await options.onMessage?.(raw);
            const mail = options.parse === false ? ({} as ParsedMail) : await simpleParser(raw);
            messages.push(mail);
            for (const waiter of [...waiters]) {
              if (messages.length >= waiter.count) {
                waiters.splice(waiters.indexOf(waiter), 1);
                waiter.resolve();
              }
            }
            callback();
          } catch (error) {
            callback(error as Error);
          }
        });
      },
    });
  const smtp: TestSmtp = {
    port,
    url: `smtp://127.0.0.1:${port}`,
    messages,
    waitFor(count, timeoutMs = 15_000) {
      if (messages.length >= count) return Promise.resolve(messages);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`only ${messages.length} of ${count} messages arrived`)),
          timeoutMs,
        );
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve(messages);
          },
        });
      });
    },
    async start() {
      server = create();
      await new Promise<void>((resolve, reject) => {
        server!.once("error", reject);
        server!.listen(port, "127.0.0.1", () => resolve());
      });
    },
    async stop() {
      const s = server;
      server = undefined;
      if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    close: () => smtp.stop(),
  };
  if (options.listen !== false) await smtp.start();
  return smtp;
}
