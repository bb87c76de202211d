import { describe, expect, it } from "vitest";
import { HEX_RENDER_LIMIT, hexDump, parseJsonPayload, renderPayload } from "./payload";

const bytes = (s: string) => new TextEncoder().encode(s);

describe("payload", () => {
  it("payload - JSON that parses is pretty-printed, or compact for the list", () => {
    const r = renderPayload(bytes('{"a":1,"b":[true]}'));
    expect(r).toMatchObject({ kind: "json", truncated: false, warning: null, size: 18 });
    expect(r.text).toBe('{\n  "a": 1,\n  "b": [\n    true\n  ]\n}');
    expect(renderPayload(bytes('{ "a" : 1 }'), { compact: true }).text).toBe('{"a":1}');
  });

  it("payload - JSON nested deeper than JSON.stringify recurses is still JSON, shown compact", () => {
    const deep = `${"[".repeat(20_000)}1${"]".repeat(20_000)}`;
    expect(renderPayload(bytes(deep))).toMatchObject({ kind: "json", text: deep, warning: "nested too deep to indent: shown compact" });
  });

  it("payload - malformed JSON is shown raw as text with a warning", () => {
    const r = renderPayload(bytes('{"selectedModel": "gemini-pro", '), { contentType: "application/json" });
    expect(r.kind).toBe("text");
    expect(r.text).toBe('{"selectedModel": "gemini-pro", ');
    expect(r.warning).toMatch(/malformed JSON/);
  });

  it("payload - plain UTF-8 text stays text, including non-ASCII", () => {
    expect(renderPayload(bytes("link down on gi0/1 — ärger"))).toMatchObject({
      kind: "text",
      text: "link down on gi0/1 — ärger",
      warning: null,
    });
  });

  it("payload - invalid UTF-8 or control-heavy bytes become a hex dump", () => {
    const r = renderPayload(new Uint8Array([0xff, 0xfe, 0x00, 0x41]));
    expect(r.kind).toBe("binary");
    expect(r.text).toBe(`00000000  ${"ff fe 00 41".padEnd(47, " ")}  |...A|`);
    expect(renderPayload(new Uint8Array([1, 2, 3, 4, 5, 65])).kind).toBe("binary");
  });

  it("payload - declared JSON that is binary warns", () => {
    expect(renderPayload(new Uint8Array([0xc3, 0x28]), { contentType: "application/json" })).toMatchObject({
      kind: "binary",
      warning: expect.stringMatching(/not valid UTF-8/),
    });
  });

  it("payload - empty payload is its own kind", () => {
    expect(renderPayload(new Uint8Array())).toMatchObject({ kind: "empty", text: "", size: 0 });
  });

  it("payload - the list limit truncates and says so; the detail keeps everything", () => {
    const long = bytes(JSON.stringify({ text: "x".repeat(1000) }));
    const list = renderPayload(long, { limit: 50, compact: true });
    expect(list.text).toHaveLength(50);
    expect(list.truncated).toBe(true);
    expect(renderPayload(long).truncated).toBe(false);
  });

  it("payload - HTML in a payload is returned verbatim as text, never interpreted", () => {
    const r = renderPayload(bytes("<img src=x onerror=alert(1)>"));
    expect(r).toMatchObject({ kind: "text", text: "<img src=x onerror=alert(1)>" });
  });

  it("payload - hex dumps of huge binaries stop at the render limit", () => {
    const big = new Uint8Array(HEX_RENDER_LIMIT * 2).fill(0xff);
    const r = renderPayload(big);
    expect(r.truncated).toBe(true);
    expect(r.text.split("\n")).toHaveLength(HEX_RENDER_LIMIT / 16);
    expect(hexDump(new Uint8Array(20)).split("\n")).toHaveLength(2);
  });

  it("payload - parseJsonPayload gives undefined for non-JSON", () => {
    expect(parseJsonPayload(bytes('{"a":1}'))).toEqual({ a: 1 });
    expect(parseJsonPayload(bytes("nope"))).toBeUndefined();
    expect(parseJsonPayload(new Uint8Array([0xff]))).toBeUndefined();
  });
});
