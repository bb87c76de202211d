/**
 * What the persisted-history routes share: names and the from/to range validated (400 naming the parameter),
 * then the store read; a store that cannot be opened (NATS down, history off) is a 503.
 */
import "server-only";
import { HistoryRangeQuerySchema } from "../../lib/time/persisted-history";
import { StreamNameSchema } from "../../lib/streams/queries";
import { decodeParam, unavailable } from "../http";
import { getRuntime } from "../runtime";
import { parseOr400 } from "../streams/api";
import type { HistoryStore } from "./history-store";

export async function withHistory(
  request: Request,
  names: Record<string, string>,
  read: (store: HistoryStore, names: Record<string, string>, from: number, to: number) => Promise<unknown>,
): Promise<Response> {
  const valid: Record<string, string> = {};
  for (const [param, raw] of Object.entries(names)) {
    const decoded = decodeParam(param, raw);
    if (!decoded.ok) return decoded.response;
    const name = parseOr400(StreamNameSchema, decoded.value, param);
    if (!name.ok) return name.response;
    valid[param] = name.data;
  }
  const q = new URL(request.url).searchParams;
  const range = parseOr400(HistoryRangeQuerySchema, { from: q.get("from") ?? undefined, to: q.get("to") ?? undefined });
  if (!range.ok) return range.response;
  const rt = await getRuntime();
  if (!rt.config.history.enabled) return unavailable("persisted history is off (BUSDECK_HISTORY=0)");
  try {
    return Response.json(await read(await rt.history(), valid, range.data.from, range.data.to));
  } catch (err) {
    return unavailable(`history: ${err instanceof Error ? err.message : String(err)}`);
  }
}
