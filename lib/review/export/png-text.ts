/**
 * Text carried inside a PNG: an iTXt chunk (UTF-8, uncompressed) inserted before IEND, so the caption drawn
 * under an exported panel can also be read by tools (exiftool, image viewers' "properties") and by tests.
 * Pure: bytes in, bytes out.
 */

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** The CRC-32 a PNG chunk ends with (over its type and data). */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The PNG with an iTXt `keyword` chunk holding `text` just before its IEND chunk. */
export function withPngText(png: Uint8Array, keyword: string, text: string): Uint8Array {
  if (!SIGNATURE.every((b, i) => png[i] === b)) throw new Error("not a PNG");
  const iend = png.length - 12; // IEND is always the last chunk: length 0, "IEND", CRC
  if (new TextDecoder().decode(png.subarray(iend + 4, iend + 8)) !== "IEND") throw new Error("PNG does not end with IEND");
  const enc = new TextEncoder();
  // keyword, NUL, compression flag 0, method 0, empty language tag NUL, empty translated keyword NUL, UTF-8 text
  const data = new Uint8Array([...enc.encode(keyword), 0, 0, 0, 0, 0, ...enc.encode(text)]);
  const chunk = new Uint8Array(12 + data.length);
  const view = new DataView(chunk.buffer);
  view.setUint32(0, data.length);
  chunk.set(enc.encode("iTXt"), 4);
  chunk.set(data, 8);
  view.setUint32(8 + data.length, crc32(chunk.subarray(4, 8 + data.length)));
  const out = new Uint8Array(png.length + chunk.length);
  out.set(png.subarray(0, iend));
  out.set(chunk, iend);
  out.set(png.subarray(iend), iend + chunk.length);
  return out;
}

/** Every iTXt keyword → text pair in a PNG (the reader tests and tools use). */
export function readPngText(png: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const dec = new TextDecoder();
  for (let at = 8; at + 12 <= png.length;) {
    const length = view.getUint32(at);
    const type = dec.decode(png.subarray(at + 4, at + 8));
    if (type === "iTXt") {
      const data = png.subarray(at + 8, at + 8 + length);
      const nul = data.indexOf(0);
      // skip keyword NUL, 2 flag bytes, language tag NUL, translated keyword NUL
      let rest = nul + 3;
      rest = data.indexOf(0, rest) + 1;
      rest = data.indexOf(0, rest) + 1;
      out[dec.decode(data.subarray(0, nul))] = dec.decode(data.subarray(rest));
    }
    at += 12 + length;
  }
  return out;
}
