import { z } from "zod";
import { badRequest, decodeParam, describeIssues, notFound, unavailable } from "@/server/http";
import { findEventMessage, getOutcome } from "@/server/outcomes/query";
import { outcomeSource } from "@/server/outcomes/source";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const IdSchema = z.string().regex(/^(\d{1,15}|live-\d{1,15})$/, "a stream sequence (digits) or a live id (live-N)");

/** One outcome for the drill-down, with where its triggering event is stored. */
export async function GET(_request: Request, ctx: { params: Promise<{ id: string }> }) {
  const raw = decodeParam("id", (await ctx.params).id);
  if (!raw.ok) return raw.response;
  const id = IdSchema.safeParse(raw.value);
  if (!id.success) return badRequest(describeIssues(id.error, "id"));
  let src;
  try {
    src = await outcomeSource();
  } catch (err) {
    return unavailable(`NATS unavailable: ${(err as Error).message}`);
  }
  const record = await getOutcome(src, id.data);
  if (!record) return notFound(`no outcome ${id.data} (it may have aged out of the stream)`);
  const event_message = await findEventMessage(src, record).catch(() => null);
  // The stream holding the record, for "the stored message" link when the record was cut to a display budget.
  return Response.json({ record, event_message, stream: record.stream_seq !== undefined ? src.stream : null });
}
