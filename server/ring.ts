/**
 * A fixed-capacity ring of items tagged with increasing sequence numbers. Items and sequences sit in parallel
 * arrays: a push allocates nothing (an entry object per push was garbage the GC copied at 100,000 pushes/s).
 */
export class SeqRing<T> {
  private readonly items: (T | undefined)[];
  private readonly seqs: Float64Array;
  private head = 0; // index of the oldest entry
  private size = 0;

  constructor(readonly capacity: number) {
    this.items = new Array<T | undefined>(capacity).fill(undefined);
    this.seqs = new Float64Array(capacity);
  }

  push(seq: number, item: T): void {
    const idx = (this.head + this.size) % this.capacity;
    this.items[idx] = item;
    this.seqs[idx] = seq;
    if (this.size < this.capacity) this.size++;
    else this.head = (this.head + 1) % this.capacity;
  }

  get length(): number {
    return this.size;
  }

  /** Sequence of the oldest retained item, or undefined when empty. */
  oldestSeq(): number | undefined {
    return this.size ? this.seqAt(0) : undefined;
  }

  newestSeq(): number | undefined {
    return this.size ? this.seqAt(this.size - 1) : undefined;
  }

  /** Items with seq > after, oldest first. Binary search: sequences are increasing. */
  since(after: number): T[] {
    const out: T[] = [];
    for (let i = this.firstIndexAfter(after); i < this.size; i++) out.push(this.itemAt(i));
    return out;
  }

  countSince(after: number): number {
    return this.size - this.firstIndexAfter(after);
  }

  private firstIndexAfter(after: number): number {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.seqAt(mid) <= after) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The newest n items, oldest first. */
  latest(n: number): T[] {
    const out: T[] = [];
    for (let i = Math.max(0, this.size - n); i < this.size; i++) out.push(this.itemAt(i));
    return out;
  }

  private seqAt(i: number): number {
    return this.seqs[(this.head + i) % this.capacity]!;
  }

  private itemAt(i: number): T {
    return this.items[(this.head + i) % this.capacity] as T;
  }
}
