import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createSseParser, pumpSse, type SseEvent } from "../../widgets/sse.ts";

function collect(lastEventId = "") {
  const events: SseEvent[] = [];
  const parser = createSseParser((event) => events.push(event), lastEventId);
  return { events, parser };
}

describe("widgets SSE parser", () => {
  it("dispatches named events with their id on a blank line", () => {
    const { events, parser } = collect();
    parser.push('id: 7\nevent: notification\ndata: {"a":1}\n\n');
    assert.deepEqual(events, [{ event: "notification", data: '{"a":1}', id: "7" }]);
    assert.equal(parser.lastEventId, "7");
  });

  it("joins data lines, defaults the type to message and ignores heartbeat comments", () => {
    const { events, parser } = collect();
    parser.push(": heartbeat\n\ndata: one\ndata:two\n\n");
    assert.deepEqual(events, [{ event: "message", data: "one\ntwo", id: "" }]);
  });

  it("reassembles events split anywhere across chunks, CRLF included", () => {
    const { events, parser } = collect();
    for (const chunk of ["id: 1\r", "\nevent: notifi", "cation\r\nda", "ta: x\r\n", "\r\n"]) {
      parser.push(chunk);
    }
    assert.deepEqual(events, [{ event: "notification", data: "x", id: "1" }]);
  });

  it("keeps the last event id across events without one and reads retry", () => {
    const { events, parser } = collect("3");
    parser.push("retry: 3000\nevent: ready\ndata: {}\n\nid: 4\ndata: a\n\ndata: b\n\n");
    assert.deepEqual(
      events.map((e) => e.id),
      ["3", "4", "4"],
    );
    assert.equal(parser.retry, 3000);
  });

  it("does not dispatch an event without data or one cut off before its blank line", () => {
    const { events, parser } = collect();
    parser.push("event: ping\n\ndata: unfinished\n");
    assert.deepEqual(events, []);
  });

  it("reads a byte stream with multi-byte characters split between chunks", async () => {
    const bytes = new TextEncoder().encode("data: Grüße\n\n");
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, 9));
        controller.enqueue(bytes.slice(9));
        controller.close();
      },
    });
    const { events, parser } = collect();
    await pumpSse(body, parser);
    assert.equal(events[0]?.data, "Grüße");
  });
});
