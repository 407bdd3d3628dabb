/**
 * A small Server-Sent Events reader for streams fetched with `fetch` (so the request can
 * carry an Authorization header, which `EventSource` cannot). Follows the parsing rules of
 * the HTML standard: `event`, `data` (joined with newlines), `id` and `retry` fields,
 * comments (heartbeats) ignored, events dispatched on a blank line.
 */

export interface SseEvent {
  /** `message` when the server named none. */
  event: string;
  data: string;
  /** The last event id seen so far (sent back as `Last-Event-ID` on reconnect). */
  id: string;
}

export interface SseParser {
  /** Feeds a decoded chunk; the chunk may end anywhere, even inside a line. */
  push(chunk: string): void;
  /** The last event id the stream set. */
  readonly lastEventId: string;
  /** The reconnection delay the server asked for, in ms, or null. */
  readonly retry: number | null;
}

export function createSseParser(onEvent: (event: SseEvent) => void, lastEventId = ""): SseParser {
  let buffer = "";
  let data: string[] = [];
  let type = "";
  let id = lastEventId;
  let retry: number | null = null;

  function line(text: string): void {
    if (text === "") {
      if (data.length) onEvent({ event: type || "message", data: data.join("\n"), id });
      data = [];
      type = "";
      return;
    }
    if (text.startsWith(":")) return;
    const colon = text.indexOf(":");
    const field = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? "" : text.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") data.push(value);
    else if (field === "event") type = value;
    else if (field === "id" && !value.includes("\0")) id = value;
    else if (field === "retry" && /^\d+$/.test(value)) retry = Number(value);
  }

  return {
    push(chunk) {
      buffer += chunk;
      // A lone \r at the very end may be the first half of \r\n: keep it for the next chunk.
      const lines = buffer.split(/\r\n|\r(?!$)|\n/);
      buffer = lines.pop() ?? "";
      for (const text of lines) line(text);
    },
    get lastEventId() {
      return id;
    },
    get retry() {
      return retry;
    },
  };
}

/** Reads a fetched stream to its end, feeding the parser. */
export async function pumpSse(body: ReadableStream<Uint8Array>, parser: SseParser): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      parser.push(decoder.decode(value, { stream: true }));
    }
  } finally {
    reader.releaseLock();
  }
}
