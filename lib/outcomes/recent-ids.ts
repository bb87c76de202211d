/**
 * The most recent ids seen, in fixed memory: for deduplicating messages by Nats-Msg-Id at 100,000 a second.
 * A Set of the id strings kept every one of them alive (and the GC copying them) and, capped, kept the oldest.
 *
 * Ids are stored as 52-bit hashes in two open-addressing tables (generations): when the current one is full
 * it becomes the previous one and the oldest generation is forgotten, so the last `perGeneration` to
 * 2 × `perGeneration` ids are remembered. Two different ids collide with a probability of about
 * remembered / 2^52 per lookup (1 in 20 billion for 200,000 ids): a false "seen" is possible, never a miss.
 * An id is hashed as its UTF-8 bytes, so one read straight from a message's header bytes (idHashOfBytes)
 * matches the same id read as a string (idHash).
 */
export class RecentIds {
  private current: Float64Array;
  private previous: Float64Array;
  private currentSize = 0;
  private readonly mask: number;

  constructor(readonly perGeneration = 131_072) {
    // At most half full: linear probes stay short.
    let slots = 1024;
    while (slots < 2 * perGeneration) slots *= 2;
    this.mask = slots - 1;
    this.current = new Float64Array(slots);
    this.previous = new Float64Array(slots);
  }

  add(id: string): void {
    this.addHash(idHash(id));
  }

  has(id: string): boolean {
    return this.hasHash(idHash(id));
  }

  /** `h`: idHash or idHashOfBytes of the id. */
  addHash(h: number): void {
    if (this.find(this.current, h) >= 0) return;
    if (this.currentSize >= this.perGeneration) {
      const forgotten = this.previous;
      this.previous = this.current;
      this.current = forgotten.fill(0);
      this.currentSize = 0;
    }
    this.current[~this.find(this.current, h)] = h;
    this.currentSize++;
  }

  hasHash(h: number): boolean {
    return this.find(this.current, h) >= 0 || this.find(this.previous, h) >= 0;
  }

  /** The slot holding `h`, or the complement of the empty slot where it would go. */
  private find(table: Float64Array, h: number): number {
    let i = h & this.mask;
    for (;;) {
      const v = table[i]!;
      if (v === h) return i;
      if (v === 0) return ~i;
      i = (i + 1) & this.mask;
    }
  }
}

const utf8 = new TextEncoder();

/** An id's hash: hash52 of its UTF-8 bytes (an ASCII id's code units are its bytes: no encoding then). */
export function idHash(id: string): number {
  for (let i = 0; i < id.length; i++) {
    if (id.charCodeAt(i) > 0x7f) {
      const bytes = utf8.encode(id);
      return idHashOfBytes(bytes, 0, bytes.length);
    }
  }
  return hash52(id);
}

/** idHash of the id whose UTF-8 bytes are bytes[start, end): hash52 over bytes instead of code units. */
export function idHashOfBytes(bytes: Uint8Array, start: number, end: number): number {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = start, last = Math.min(end, bytes.length); i < last; i++) {
    const c = bytes[i]!;
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return combine52(a, b);
}

/** FNV-1a over UTF-16 code units with two primes, combined to 52 bits; never 0 (the empty slot). */
export function hash52(s: string): number {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return combine52(a, b);
}

function combine52(a: number, b: number): number {
  b ^= b >>> 15;
  const h = (a >>> 0) * 0x100000 + ((b >>> 0) & 0xfffff);
  return h === 0 ? 1 : h;
}
