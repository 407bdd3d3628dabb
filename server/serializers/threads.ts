import type { Thread } from "../../db/schema.ts";

export interface ThreadJson {
  key: string;
  title: string | null;
  url: string | null;
  commentCount: number;
  locked: boolean;
  premoderated: boolean;
  read: Thread["read"];
  write: Thread["write"];
  federate: boolean;
  createdAt: string;
}

export function serializeThread(thread: Thread, commentCount: number): ThreadJson {
  return {
    key: thread.key,
    title: thread.title,
    url: thread.url,
    commentCount,
    locked: thread.locked,
    premoderated: thread.premoderated,
    read: thread.read,
    write: thread.write,
    federate: thread.federate,
    createdAt: thread.createdAt.toISOString(),
  };
}
