import type { MsgHdrs } from "@nats-io/nats-core";

/** NATS headers as a plain, JSON-safe record (multi-valued). */
export function headersToRecord(h: Pick<MsgHdrs, "keys" | "values"> | undefined): Record<string, string[]> | undefined {
  if (!h) return undefined;
  const out: Record<string, string[]> = {};
  for (const k of h.keys()) out[k] = h.values(k);
  return out;
}
