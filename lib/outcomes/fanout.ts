/**
 * One event, every handler: the filter that finds all outcomes of the event that triggered an outcome. By the
 * event's id when the outcome carries one; else by its subject close in time (the seed runtime's events carry
 * ids; an outcome log from elsewhere may not), which the view says is a guess.
 */
import { outcomeTime, type OutcomeRecord } from "./outcome";
import type { OutcomeFilter } from "./filter";

/** Handlers answer one event within seconds; an outcome stored late still falls inside. */
const BY_ID_HALF_WIDTH_MS = 10 * 60_000;
/** Without an id, outcomes of one subject this close in time are taken for the same event. */
export const BY_SUBJECT_HALF_WIDTH_MS = 5_000;

export interface EventFanout {
  filter: OutcomeFilter;
  /** How outcomes were matched to the event. */
  basis: "event_id" | "subject_and_time";
}

export function eventFanout(r: OutcomeRecord): EventFanout | null {
  if (!r.valid) return null;
  const event = r.body.event;
  const at = event.received_at ? Date.parse(event.received_at) : NaN;
  const t = Number.isFinite(at) ? at : outcomeTime(r);
  const around = (half: number) => ({ from: new Date(t - half).toISOString(), to: new Date(t + half).toISOString() });
  if (event.id) return { basis: "event_id", filter: { event_id: event.id, ...around(BY_ID_HALF_WIDTH_MS) } };
  return { basis: "subject_and_time", filter: { event: event.subject, ...around(BY_SUBJECT_HALF_WIDTH_MS) } };
}
