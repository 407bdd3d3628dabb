import { mkdtempSync, readdirSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { createBenchDatabase } from "./lib/database.ts";
import { HttpClient } from "./lib/http.ts";
import { signHostToken } from "./lib/members.ts";
import { startServer } from "./lib/server.ts";

const db = await createBenchDatabase("dbg");
const dir = mkdtempSync(join(os.tmpdir(), "sessprof-"));
const server = await startServer({
  databaseUrl: db.url,
  nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${dir}`],
});
const client = new HttpClient(server.url);
const tokens: string[] = [];
for (let i = 0; i < 200; i++) tokens.push(await signHostToken(`m-${i}`, `Member ${i}`));
for (const t of tokens) await client.request("POST", "/api/session", { body: { token: t } });
const t0 = performance.now();
for (let r = 0; r < 15; r++)
  for (const t of tokens) await client.request("POST", "/api/session", { body: { token: t } });
console.log("3000 exchanges ms", (performance.now() - t0).toFixed(0));
client.close();
await server.stop();
await db.drop();
console.log(join(dir, readdirSync(dir)[0]!));
process.exit(0);
