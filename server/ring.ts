/** A fixed-capacity ring of items tagged with increasing sequence numbers. */
export class SeqRing<T> {
  private items: ({ seq: number; item: T } | undefined)[];
  private head = 0; // index of the oldest entry
  private size = 0;

  constructor(readonly capacity: number) {
    this.items = new Array(capacity);
  }

  push(seq: number, item: T): void {
    const idx = (this.head + this.size) % this.capacity;
    this.items[idx] = { seq, item };
    if (this.size < this.capacity) this.size++;
    else this.head = (this.head + 1) % this.capacity;
  }

  get length(): number {
    return this.size;
  }

  /** Sequence of the oldest retained item, or undefined when empty. */
  oldestSeq(): number | undefined {
    return this.size ? this.at(0).seq : undefined;
  }

  newestSeq(): number | undefined {
    return this.size ? this.at(this.size - 1).seq : undefined;
  }

  /** Items with seq > after, oldest first. Binary search: sequences are increasing. */
  since(after: number): T[] {
    const out: T[] = [];
    for (let i = this.firstIndexAfter(after); i < this.size; i++) out.push(this.at(i).item);
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
      if (this.at(mid).seq <= after) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The newest n items, oldest first. */
  latest(n: number): T[] {
    const out: T[] = [];
    for (let i = Math.max(0, this.size - n); i < this.size; i++) out.push(this.at(i).item);
    return out;
  }

  private at(i: number) {
    return this.items[(this.head + i) % this.capacity]!;
  }
}
