/** Random ids for things busdeck stores (snapshots, annotations): URL-safe, fixed length, from caller-supplied bytes. */
import { z } from "zod";

const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";
/** 10 random bytes → 16 base32 characters (80 bits): unguessable enough for a link, short enough to read out. */
export const ID_BYTES = 10;
export const RandomIdSchema = z.string().regex(/^[a-z2-7]{16}$/, "an id is 16 characters a–z, 2–7");

/** RFC 4648 base32, lower case, unpadded. */
export function idFromBytes(bytes: Uint8Array): string {
  if (bytes.length !== ID_BYTES) throw new RangeError(`expected ${ID_BYTES} random bytes, got ${bytes.length}`);
  let out = "";
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  return out;
}
