import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { MsgHdrsImpl, MsgImpl, type Publisher } from "@nats-io/nats-core/internal";
import { idHash } from "../lib/outcomes/recent-ids";
import { coreHeaderLength, coreMsgBytes, headersToRecord, headerValueHash, headerValueOf, parseHeaderBlock } from "./nats-headers";

const enc = (s: string) => new TextEncoder().encode(s);

describe("nats headers", () => {
  it("nats headers - a raw block parses to what the client's own decoding gives", () => {
    const blocks = [
      "NATS/1.0\r\nContent-Type: application/json\r\nNats-Msg-Id: 5f1c-0\r\n\r\n",
      "NATS/1.0 503 No Responders\r\n\r\n",
      "NATS/1.0\r\nX-Multi: a\r\nX-Multi:  b  \r\nx-multi: c\r\n\r\n",
      "NATS/1.0\r\nEmpty:\r\nColon: a:b:c\r\nno colon line\r\n\r\n",
      "NATS/1.0\r\nTraceparent: 00-abc-def-01\r\nUmlaut-Value: grüße\r\n\r\n",
    ];
    for (const b of blocks) expect(parseHeaderBlock(enc(b))).toEqual(headersToRecord(MsgHdrsImpl.decode(enc(b))));
  });

  it("nats headers - a header name the client rejects (it throws) is kept rather than failing the message", () => {
    const b = enc("NATS/1.0\r\nÜmlaut: x\r\n\r\n");
    expect(() => MsgHdrsImpl.decode(b)).toThrow();
    expect(parseHeaderBlock(b)).toEqual({ Ümlaut: ["x"] });
  });

  it("nats headers - values keep their order; a header named __proto__ stays a header", () => {
    const h = parseHeaderBlock(enc("NATS/1.0\r\nA: 1\r\nA: 2\r\n__proto__: x\r\n\r\n"));
    expect(h.A).toEqual(["1", "2"]);
    expect(Object.getPrototypeOf(h)).toBe(Object.prototype);
    expect(Object.keys(h)).toEqual(["A", "__proto__"]);
    expect(JSON.parse(JSON.stringify(h))).toMatchObject({ A: ["1", "2"] });
  });

  it("nats headers - a core message's headers are read from its bytes, without the client's header object", () => {
    const block = enc("NATS/1.0\r\nNats-Msg-Id: o-1\r\n\r\n");
    const body = enc('{"a":1}');
    const raw = new Uint8Array([...block, ...body]);
    const msg = new MsgImpl({ subject: enc("s"), sid: 1, hdr: block.length, size: raw.length }, raw, {} as Publisher);
    expect(parseHeaderBlock(coreMsgBytes(msg)!.subarray(0, coreHeaderLength(msg)))).toEqual({ "Nats-Msg-Id": ["o-1"] });
    // The client builds its header object lazily; still unbuilt means the fast path ran (the internals are as expected).
    expect((msg as unknown as { _headers?: unknown })._headers).toBeUndefined();
    expect(headersToRecord(msg.headers)).toEqual({ "Nats-Msg-Id": ["o-1"] });
    expect(coreHeaderLength(new MsgImpl({ subject: enc("s"), sid: 1, hdr: -1, size: body.length }, body, {} as Publisher))).toBe(0);
  });

  it("nats headers - one header's first value read from the bytes is what the whole block's parse gives", () => {
    const blocks = [
      "NATS/1.0\r\nContent-Type: application/json\r\nNats-Msg-Id:  5f1c-0 \r\n\r\n",
      "NATS/1.0\r\nNats-Msg-Id: first\r\nNats-Msg-Id: second\r\n\r\n",
      "NATS/1.0\r\nnats-msg-id: lower\r\nNats-Msg-Idx: longer\r\nX: Nats-Msg-Id: in a value\r\n\r\n",
      "NATS/1.0\r\nNats-Msg-Id:\r\n\r\n",
      "NATS/1.0\r\nNats-Msg-Id: grüße\r\n\r\n",
      "NATS/1.0 503 No Responders\r\n\r\n",
      "Nats-Msg-Id: on the status line\r\n\r\n",
      "NATS/1.0\r\nNats-Msg-Id: no final CRLF",
    ];
    for (const b of blocks) expect(headerValueOf(enc(b), "Nats-Msg-Id"), b).toBe(parseHeaderBlock(enc(b))["Nats-Msg-Id"]?.[0]);
    const line = fc.tuple(
      fc.constantFrom("Nats-Msg-Id", "nats-msg-id", "Nats-Msg-I", "X", ""),
      fc.constantFrom(":", ": ", "", "::"),
      fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom(" grüße ", "\u00a0x\u00a0", "a:b")),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 5 }), fc.boolean(), (lines, status) => {
        const block = enc(
          `NATS/1.0${status ? " 200" : ""}\r\n${lines.map(([k, sep, v]) => `${k}${sep}${v.replace(/[\r\n]/g, "")}`).join("\r\n")}\r\n\r\n`,
        );
        expect(headerValueOf(block, "Nats-Msg-Id")).toBe(parseHeaderBlock(block)["Nats-Msg-Id"]?.[0]);
        // The id's hash read from the bytes is the hash of the id read as a string (0: no id, or empty).
        const id = headerValueOf(block, "Nats-Msg-Id");
        expect(headerValueHash(block, "Nats-Msg-Id")).toBe(id ? idHash(id) : 0);
      }),
    );
    for (const b of blocks) {
      const id = headerValueOf(enc(b), "Nats-Msg-Id");
      expect(headerValueHash(enc(b), "Nats-Msg-Id"), b).toBe(id ? idHash(id) : 0);
    }
    expect(headerValueHash(enc("NATS/1.0\r\nNats-Msg-Id: \t o-1 \r\n\r\n"), "Nats-Msg-Id")).toBe(idHash("o-1"));
  });

  it("nats headers - a core message's header block and payload are read from the bytes it arrived as", () => {
    const block = enc("NATS/1.0\r\nNats-Msg-Id: o-1\r\n\r\n");
    const body = enc('{"a":1}');
    const raw = new Uint8Array([0, ...block, ...body]).subarray(1);
    const msg = new MsgImpl({ subject: enc("s"), sid: 1, hdr: block.length, size: raw.length }, raw, {} as Publisher);
    const bytes = coreMsgBytes(msg)!;
    expect(bytes.subarray(0, coreHeaderLength(msg))).toEqual(block);
    expect(bytes.subarray(coreHeaderLength(msg))).toEqual(body);
    expect(bytes.buffer).toBe(raw.buffer);
    // The header hash reads only the header block's bytes.
    expect(headerValueHash(bytes, "Nats-Msg-Id", coreHeaderLength(msg))).toBe(idHash("o-1"));
    const bare = new MsgImpl({ subject: enc("s"), sid: 1, hdr: -1, size: body.length }, body, {} as Publisher);
    expect([coreMsgBytes(bare), coreHeaderLength(bare)]).toEqual([body, 0]);
  });
});
