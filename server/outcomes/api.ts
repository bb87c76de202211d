/** The outcomes routes' service: filtered range queries (a scan slot each) and one outcome's drill-down. */
import "server-only";
import { z } from "zod";
import { OutcomeQuerySchema, parseOutcomeFilter } from "../../lib/outcomes/filter";
import { HandlerIdSchema } from "../../lib/outcomes/handler-detail";
import { BadRequestError, NotFoundError, unavailableOnFailure } from "../errors";
import { describeIssues, parseInput } from "../http";
import { admitScan } from "../scan-admission";
import { findEventMessage, getOutcome, queryErrorGroup, queryHandler, queryOutcomes } from "./query";
import { outcomeSource } from "./source";

/** The query string as given: the filter's own parser names a bad parameter. */
export const OutcomeListQuerySchema = z.record(z.string(), z.string());

export const OutcomeParamsSchema = z.object({
  id: z.string().regex(/^(\d{1,15}|live-\d{1,15})$/, "a stream sequence (digits) or a live id (live-N)"),
});

const source = () => unavailableOnFailure("NATS unavailable", outcomeSource);

/** Outcomes matching the view's filter over a time range (default: the last hour), newest first. */
export async function listOutcomes(request: Request, params: Record<string, string>, now: number) {
  const filter = parseOutcomeFilter(params);
  if (!filter.success) throw new BadRequestError(undefined, describeIssues(filter.error));
  const query = parseInput(OutcomeQuerySchema, { limit: params.limit, timeline: params.timeline });
  const release = await admitScan(request);
  try {
    return await queryOutcomes(await source(), filter.data, query.limit, now, { timeline: query.timeline });
  } finally {
    release();
  }
}

export const ErrorGroupParamsSchema = z.object({
  handler: z.string().min(1).max(200),
  group: z.string().regex(/^[0-9a-f]{16}$/, "an error group id (16 hex digits)"),
});

/** One error group of one handler over the URL's range (default: the last hour). */
export async function errorGroupDetail(
  request: Request,
  params: z.infer<typeof ErrorGroupParamsSchema>,
  query: Record<string, string>,
  now: number,
) {
  const filter = parseOutcomeFilter({ from: query.from, to: query.to });
  if (!filter.success) throw new BadRequestError(undefined, describeIssues(filter.error));
  const release = await admitScan(request);
  try {
    return await queryErrorGroup(await source(), { handler_id: params.handler, id: params.group }, filter.data, now);
  } finally {
    release();
  }
}

export const HandlerParamsSchema = z.object({ handler: HandlerIdSchema });

/** One handler over the URL's range (default: the last hour); a handler busdeck knows no outcome of is a 404. */
export async function handlerDetail(request: Request, handler: string, query: Record<string, string>, now: number) {
  const filter = parseOutcomeFilter({ from: query.from, to: query.to });
  if (!filter.success) throw new BadRequestError(undefined, describeIssues(filter.error));
  const release = await admitScan(request);
  try {
    const d = await queryHandler(await source(), handler, filter.data, now);
    if (!d) throw new NotFoundError(`no outcome of handler ${handler} is stored or live`);
    return d;
  } finally {
    release();
  }
}

/** One outcome, with where its triggering event is stored and the stream holding the record (for the stored-message link). */
export async function outcomeDetail(id: string) {
  const src = await source();
  const record = await getOutcome(src, id);
  if (!record) throw new NotFoundError(`no outcome ${id} (it may have aged out of the stream)`);
  const event_message = await findEventMessage(src, record).catch(() => null);
  return { record, event_message, stream: record.stream_seq !== undefined ? src.stream : null };
}
