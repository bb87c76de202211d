/**
 * A live table's row order held still while someone reads it: rows keep the places they had when the hold
 * began, values still update. Pure; the component decides when to hold (pointer or focus on the table).
 */

/**
 * `rows` (the latest, in their live order) arranged in the `held` key order: rows still present keep their
 * relative places, rows new since the hold follow in their live order, rows gone since are dropped.
 */
export function holdOrder<T>(held: readonly string[], rows: readonly T[], key: (row: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const row of rows) byKey.set(key(row), row);
  const out: T[] = [];
  const placed = new Set<string>();
  for (const k of held) {
    const row = byKey.get(k);
    if (row !== undefined && !placed.has(k)) {
      out.push(row);
      placed.add(k);
    }
  }
  for (const row of rows) if (!placed.has(key(row))) out.push(row);
  return out;
}

/**
 * How many rows would move if `shown` took the live order of `live`: the fewest rows to pick up and put
 * elsewhere (rows less the longest run already in live order), so one consumer jumping five places is 1.
 */
export function rowsMoved<T>(shown: readonly T[], live: readonly T[], key: (row: T) => string): number {
  const liveIndex = new Map<string, number>();
  live.forEach((row, i) => liveIndex.set(key(row), i));
  const sequence = shown.map((row) => liveIndex.get(key(row))).filter((i): i is number => i !== undefined);
  return sequence.length - longestIncreasingRun(sequence);
}

/** Length of the longest strictly increasing subsequence, O(n log n) (patience sorting). */
function longestIncreasingRun(values: readonly number[]): number {
  const tails: number[] = [];
  for (const v of values) {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (tails[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    tails[lo] = v;
  }
  return tails.length;
}
