/**
 * The `bus_connections` topic as the hub keeps it (lib/wire/topics.ts KEYED_TOPICS): the snapshot's envelope as
 * its meta and the open and closed rows as one keyed list, so each sample sends browsers only the rows that
 * changed, packed as tuples (lib/wire/packed-items.ts; positions in docs/contracts.md).
 */
import { nullableStringAt, stringAt, type ItemCodec, type PackedValue } from "../wire/packed-items";
import { emptyBusConnectionsSnapshot, type BusConnectionsSnapshot, type ClosedConnectionRow, type ConnectionRow } from "./connections";
import type { BusSource } from "./servers";

export type ConnectionItem = ConnectionRow | ClosedConnectionRow;
/** Everything of the snapshot but its rows: servers, source, sample time, slow-consumer clients. */
export type BusConnectionsMeta = Omit<BusConnectionsSnapshot, "open" | "closed">;

export interface BusConnectionsTopic {
  meta: BusConnectionsMeta;
  /** Open and closed rows in no particular order (a patch appends new ones): views sort them. */
  items: ConnectionItem[];
}

export const isClosedConnection = (r: ConnectionItem): r is ClosedConnectionRow => "reason" in r;

/** A connection listed open and already closed (two requests, two moments) is two items: the list is in the key. */
export const connectionItemKey = (r: ConnectionItem): string => (isClosedConnection(r) ? `closed:${r.key}` : r.key);
export const sameConnectionItemKey = (a: ConnectionItem, b: ConnectionItem): boolean =>
  a.key === b.key && isClosedConnection(a) === isClosedConnection(b);

export function toConnectionsTopic(snap: BusConnectionsSnapshot): BusConnectionsTopic {
  const { open, closed, ...meta } = snap;
  return { meta, items: [...open, ...closed] };
}

export const emptyBusConnectionsTopic = (source: BusSource | null): BusConnectionsTopic =>
  toConnectionsTopic(emptyBusConnectionsSnapshot(source));

/** The topic's rows split back into the open and the closed lists. */
export function splitConnections(items: readonly ConnectionItem[]): { open: ConnectionRow[]; closed: ClosedConnectionRow[] } {
  const open: ConnectionRow[] = [];
  const closed: ClosedConnectionRow[] = [];
  for (const r of items) {
    if (isClosedConnection(r)) closed.push(r);
    else open.push(r);
  }
  return { open, closed };
}

/** The snapshot the topic stands for (rows in the topic's order). */
export function fromConnectionsTopic(topic: BusConnectionsTopic): BusConnectionsSnapshot {
  return { ...topic.meta, ...splitConnections(topic.items) };
}

/**
 * A row as a tuple: server, account, client language and version and start time are dictionary indices (a few
 * values shared by thousands of rows); name and address go inline (nearly every row's own). The key is rebuilt
 * from server and cid. A closed row has three more: stop time, reason (index), slow consumer (0 or 1).
 */
export const connectionItemCodec: ItemCodec<ConnectionItem> = {
  pack(r, d) {
    const t: unknown[] = [
      d.str(r.server),
      r.cid,
      r.name,
      r.address,
      d.str(r.account),
      d.str(r.lang),
      d.str(r.version),
      r.rtt_ms,
      d.str(r.started),
      r.pending_bytes,
      r.subscriptions,
      r.in_msgs,
      r.out_msgs,
      r.in_bytes,
      r.out_bytes,
      r.msgs_per_s,
    ];
    if (isClosedConnection(r)) t.push(r.stopped, d.str(r.reason), r.slow_consumer ? 1 : 0);
    return t;
  },
  unpack: (t, v) => unpackConnection(t, v),
};

const OPEN_TUPLE_LENGTH = 16;

function unpackConnection(t: readonly unknown[], v: readonly PackedValue[]): ConnectionItem {
  const server = stringAt(v, t[0]);
  const cid = t[1] as number;
  const row: ConnectionRow = {
    key: `${server}:${cid}`,
    server,
    cid,
    name: t[2] as string | null,
    address: t[3] as string,
    account: nullableStringAt(v, t[4]),
    lang: nullableStringAt(v, t[5]),
    version: nullableStringAt(v, t[6]),
    rtt_ms: t[7] as number | null,
    started: nullableStringAt(v, t[8]),
    pending_bytes: t[9] as number,
    subscriptions: t[10] as number,
    in_msgs: t[11] as number,
    out_msgs: t[12] as number,
    in_bytes: t[13] as number,
    out_bytes: t[14] as number,
    msgs_per_s: t[15] as number | null,
  };
  if (t.length <= OPEN_TUPLE_LENGTH) return row;
  return { ...row, stopped: t[16] as string | null, reason: stringAt(v, t[17]), slow_consumer: t[18] === 1 };
}
