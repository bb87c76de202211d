/**
 * Outcome feed rows on the SSE stream (docs/contracts.md, "Keyed topics and packed feeds"): one tuple per row, handler
 * ids, severities, kinds, targets, subjects and exception lines written once per frame in its dictionary, and
 * times as epoch milliseconds where that reads back to the same text. A row as JSON repeated every key and
 * most values; packed it is about half the bytes of the message it came from (bench/RESULTS.md, bench:hub).
 */
import { nullableStringAt, stringAt, type Interner, type ItemCodec } from "../wire/packed-items";
import type { OutcomeRow, OutcomeRowBody } from "./outcome";

/** A time as epoch ms when that gives back exactly the same text (toISOString's form), else the text itself. */
export function packTime(text: string): number | string {
  const ms = Date.parse(text);
  return Number.isFinite(ms) && new Date(ms).toISOString() === text ? ms : text;
}

export function unpackTime(value: unknown): string {
  if (typeof value === "number") return new Date(value).toISOString();
  if (typeof value === "string") return value;
  throw new TypeError(`packed outcome row: not a time: ${String(value)}`);
}

const optionalString = (dict: Interner, s: string | undefined) => (s === undefined ? null : dict.str(s));

/**
 * Positions: 0 id, 1 handler_id #, 2 received_at, 3 stream_seq, 4 msg_id, 5 valid (1/0); valid: 6 severity #,
 * 7 kind #, 8 target # (nullable), 9 emitted_at, 10 event.subject #, 11 summary #, 12 exception #, 13 the body's
 * handler_id # when it is not the row's (a long one is cut apart from the row's); malformed:
 * 6 raw, 7 error #. `#` = an index into the frame's values; absent optional fields are null, trailing nulls cut.
 */
export const outcomeRowCodec: ItemCodec<OutcomeRow> = {
  pack(row, dict) {
    const head: unknown[] = [row.id, dict.str(row.handler_id), packTime(row.received_at), row.stream_seq ?? null, row.msg_id ?? null];
    const tuple = row.valid
      ? [
          ...head,
          1,
          dict.str(row.body.severity),
          dict.str(row.body.kind),
          dict.str(row.body.target),
          packTime(row.body.emitted_at),
          dict.str(row.body.event.subject),
          optionalString(dict, row.body.summary),
          optionalString(dict, row.body.exception),
          row.body.handler_id === row.handler_id ? null : dict.str(row.body.handler_id),
        ]
      : [...head, 0, row.raw, dict.str(row.error)];
    while (tuple.at(-1) === null) tuple.pop();
    return tuple;
  },
  unpack(t, v) {
    const row = { id: t[0] as string, handler_id: stringAt(v, t[1]), received_at: unpackTime(t[2]) } as OutcomeRow;
    if (t[3] != null) row.stream_seq = t[3] as number;
    if (t[4] != null) row.msg_id = t[4] as string;
    if (t[5] !== 1) return Object.assign(row, { valid: false as const, raw: t[6] as string, error: stringAt(v, t[7]) });
    const body: OutcomeRowBody = {
      handler_id: t[13] == null ? row.handler_id : stringAt(v, t[13]),
      severity: stringAt(v, t[6]) as OutcomeRowBody["severity"],
      kind: stringAt(v, t[7]),
      target: nullableStringAt(v, t[8]),
      emitted_at: unpackTime(t[9]),
      event: { subject: stringAt(v, t[10]) },
    };
    if (t[11] != null) body.summary = stringAt(v, t[11]);
    if (t[12] != null) body.exception = stringAt(v, t[12]);
    return Object.assign(row, { valid: true as const, body });
  },
};
