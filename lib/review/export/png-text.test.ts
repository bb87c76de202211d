import { deflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { crc32, readPngText, withPngText } from "./png-text";

/** A valid 1×1 grey PNG built by hand: signature, IHDR, IDAT, IEND. */
function tinyPng(): Uint8Array {
  const chunk = (type: string, data: Uint8Array) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, "latin1");
    Buffer.from(data).copy(out, 8);
    out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(Buffer.from([0, 128]))),
    chunk("IEND", new Uint8Array()),
  ]);
}

describe("png-text", () => {
  it("png-text - crc32 matches the PNG specification's check value", () => {
    expect(crc32(new TextEncoder().encode("123456789"))).toBe(0xcbf43926);
    expect(crc32(new TextEncoder().encode("IEND"))).toBe(0xae426082);
  });

  it("png-text - a UTF-8 caption goes in before IEND and reads back; the image is otherwise unchanged", () => {
    const png = tinyPng();
    const caption = "busdeck · Consumer detail — Lag\ncluster standalone · 13:00 → 14:30 UTC";
    const out = withPngText(png, "Description", caption);
    expect(readPngText(out)).toEqual({ Description: caption });
    expect(Buffer.from(out.subarray(0, png.length - 12)).equals(Buffer.from(png.subarray(0, png.length - 12)))).toBe(true);
    expect(Buffer.from(out.subarray(out.length - 12)).toString("latin1", 4, 8)).toBe("IEND");
  });

  it("png-text - refuses bytes that are not a PNG", () => {
    expect(() => withPngText(new Uint8Array([1, 2, 3]), "k", "v")).toThrow("not a PNG");
  });
});
