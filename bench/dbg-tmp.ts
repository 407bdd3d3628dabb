import postgres from "postgres";
import { createBenchDatabase } from "./lib/database.ts";
import { HttpClient } from "./lib/http.ts";
import { openSessions } from "./lib/members.ts";
import { startServer } from "./lib/server.ts";

const db = await createBenchDatabase("dbg");
const server = await startServer({ databaseUrl: db.url });
const client = new HttpClient(server.url);
const members = await openSessions(client, 2);
const p = "/api/threads/x/comments";
for (let i = 0; i < 8; i++)
  await client.request("POST", p, {
    token: members[i % 2]!.token,
    body: { body: "warm up comment number " + i },
  });
await new Promise((r) => setTimeout(r, 1500));
const admin = postgres(db.url);
await admin.unsafe(`alter database ${db.name} set log_statement = 'all'`);
await admin.end();
// new connections pick it up: restart server
await server.stop();
const server2 = await startServer({ databaseUrl: db.url });
const c2 = new HttpClient(server2.url);
await new Promise((r) => setTimeout(r, 1500));
console.log("MARK-START", new Date().toISOString());
const res = await c2.request("POST", p, {
  token: members[0]!.token,
  body: { body: "a reply to it", parentId: "2" },
});
console.log(res.status);
await new Promise((r) => setTimeout(r, 1500));
console.log("MARK-END", new Date().toISOString());
await server2.stop();
await db.drop();
process.exit(0);
