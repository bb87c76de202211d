/**
 * A consumer's last samples, kept field by field in one Float64Array ring. The tracker keeps a window for every
 * consumer (10,000 on a big bus), and as objects the windows would be a large share of the heap that every major
 * GC marks again. Here a window is three objects whatever its size.
 *
 * Samples go in and come out as ConsumerSample objects, which the health rules read; the tracker reads the
 * first and last sample every sample, and the whole window only when the rules must judge it, into objects it
 * reuses. A null last_active is stored as NaN. Each sample takes WIDTH numbers in the order of FIELDS.
 */
import type { ConsumerSample } from "./health";

const FIELDS = [
  "at",
  "lag",
  "ack_floor",
  "delivered",
  "ack_pending",
  "redelivered",
  "stream_last_seq",
  "last_active",
  "max_ack_pending",
  "created",
] as const satisfies readonly (keyof ConsumerSample)[];
const WIDTH = FIELDS.length;
const AT = 0;
const LAG = 1;
const LAST_ACTIVE = FIELDS.indexOf("last_active");

/** Every field in the literal: V8 then keeps them all inside the object. */
export const emptySample = (): ConsumerSample => ({
  at: 0,
  lag: 0,
  ack_floor: 0,
  delivered: 0,
  ack_pending: 0,
  redelivered: 0,
  stream_last_seq: 0,
  last_active: null,
  max_ack_pending: 0,
  created: 0,
});

/** Equal as sample data: NaN (never active) equals NaN. */
const same = (a: number, b: number) => a === b || (a !== a && b !== b);

export class SampleWindow {
  private readonly data: Float64Array;
  /** Slot of the oldest sample. */
  private start = 0;
  private size = 0;

  constructor(readonly capacity: number) {
    this.data = new Float64Array(capacity * WIDTH);
  }

  get length(): number {
    return this.size;
  }

  /** Offset in `data` of the k-th sample, oldest first. */
  private offset(k: number): number {
    return ((this.start + k) % this.capacity) * WIDTH;
  }

  /**
   * Appends a sample, dropping the oldest when full. Returns whether its data equal the previous sample's,
   * times aside: two such samples saw the consumer and its stream unchanged.
   */
  push(s: ConsumerSample): boolean {
    const d = this.data;
    if (this.size === this.capacity) this.start = (this.start + 1) % this.capacity;
    else this.size++;
    const o = this.offset(this.size - 1);
    d[o] = s.at;
    d[o + 1] = s.lag;
    d[o + 2] = s.ack_floor;
    d[o + 3] = s.delivered;
    d[o + 4] = s.ack_pending;
    d[o + 5] = s.redelivered;
    d[o + 6] = s.stream_last_seq;
    d[o + 7] = s.last_active ?? NaN;
    d[o + 8] = s.max_ack_pending;
    d[o + 9] = s.created;
    if (this.size < 2) return false;
    const p = this.offset(this.size - 2);
    for (let f = 1; f < WIDTH; f++) if (!same(d[p + f]!, d[o + f]!)) return false;
    return true;
  }

  /** The k-th sample, oldest first (0 ≤ k < length), written into `into`. */
  read(k: number, into: ConsumerSample = emptySample()): ConsumerSample {
    const d = this.data;
    const o = this.offset(k);
    into.at = d[o]!;
    into.lag = d[o + 1]!;
    into.ack_floor = d[o + 2]!;
    into.delivered = d[o + 3]!;
    into.ack_pending = d[o + 4]!;
    into.redelivered = d[o + 5]!;
    into.stream_last_seq = d[o + 6]!;
    const active = d[o + LAST_ACTIVE]!;
    into.last_active = Number.isNaN(active) ? null : active;
    into.max_ack_pending = d[o + 8]!;
    into.created = d[o + 9]!;
    return into;
  }

  /**
   * The newest `n` samples, oldest first, as the health rules take them: written into `out`'s objects (new ones
   * where it has too few), which it returns holding exactly those. Pass an array only code that keeps no sample
   * shares: a new window of objects per judged consumer per sample was as much work as the rules themselves.
   */
  newest(n: number, out: ConsumerSample[] = []): ConsumerSample[] {
    const from = Math.max(0, this.size - n);
    const count = this.size - from;
    for (let k = 0; k < count; k++) out[k] = this.read(from + k, out[k]);
    out.length = count;
    return out;
  }

  /** Time from the first to the last of the newest `n` samples, ms (0 with fewer than two). */
  span(n: number): number {
    const count = Math.min(n, this.size);
    return count < 2 ? 0 : this.data[this.offset(this.size - 1) + AT]! - this.data[this.offset(this.size - count) + AT]!;
  }

  /** Every sample's lag, oldest first: `prev` itself when it holds exactly those values. */
  lags(prev?: readonly number[]): number[] {
    const d = this.data;
    if (prev !== undefined && prev.length === this.size) {
      let k = 0;
      while (k < this.size && d[this.offset(k) + LAG] === prev[k]) k++;
      if (k === this.size) return prev as number[];
    }
    const out: number[] = [];
    for (let k = 0; k < this.size; k++) out.push(d[this.offset(k) + LAG]!);
    return out;
  }
}
