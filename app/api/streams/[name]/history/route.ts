import { DEFAULT_RATE_RANGE, HISTORY_RANGES, StreamNameSchema } from "@/lib/streams/queries";
import { pointsInRange } from "@/lib/streams/rate-history";
import { decodeParam } from "@/server/http";
import { getRuntime } from "@/server/runtime";
import { parseOr400 } from "@/server/streams/api";
import { z } from "zod";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const RangeSchema = z.enum(Object.keys(HISTORY_RANGES) as [keyof typeof HISTORY_RANGES]);

/** The dashboard's own bounded rate history of one stream over ?range= (1m, 5m, 15m). */
export async function GET(request: Request, ctx: { params: Promise<{ name: string }> }) {
  const raw = decodeParam("name", (await ctx.params).name);
  if (!raw.ok) return raw.response;
  const name = parseOr400(StreamNameSchema, raw.value, "name");
  if (!name.ok) return name.response;
  const range = parseOr400(RangeSchema, new URL(request.url).searchParams.get("range") ?? DEFAULT_RATE_RANGE, "range");
  if (!range.ok) return range.response;
  const history = (await getRuntime()).streamHistory;
  return Response.json({
    stream: name.data,
    range: range.data,
    points: pointsInRange(history.get(name.data), HISTORY_RANGES[range.data], Date.now()),
  });
}
