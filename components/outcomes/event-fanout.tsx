"use client";
/** One event, every handler: the outcomes the event that triggered this one caused, as one story. */
import { useQuery } from "@tanstack/react-query";
import Link from "@/components/ui/range-link";
import { getJson } from "@/components/ui/api-response";
import { useDisplayZone } from "@/components/ui/display-zone";
import { formatCount, formatDuration, formatUtc } from "@/lib/format";
import { links } from "@/lib/links";
import { eventFanout, BY_SUBJECT_HALF_WIDTH_MS } from "@/lib/outcomes/fanout";
import { outcomeFilterToSearch, outcomeQueryKeys, type OutcomeQueryResult } from "@/lib/outcomes/filter";
import { exceptionLine, outcomeTime, type OutcomeRecord } from "@/lib/outcomes/outcome";
import { KindLabel, SeverityPill } from "./outcome-pills";
import { EmptyRow } from "@/components/ui/empty-row";

/** More handlers than any seed system runs on one event. */
const FANOUT_LIMIT = 200;

function useEventFanout(r: OutcomeRecord) {
  const fan = eventFanout(r);
  const params = fan ? Object.fromEntries(new URLSearchParams(outcomeFilterToSearch(fan.filter))) : {};
  const q = useQuery<OutcomeQueryResult>({
    queryKey: outcomeQueryKeys.query({ ...params, fanout: "1" }),
    queryFn: () => getJson(`/api/outcomes?${new URLSearchParams({ ...params, timeline: "false", limit: String(FANOUT_LIMIT) })}`),
    enabled: fan !== null,
    staleTime: 15_000,
    retry: false,
  });
  return { fan, q };
}

export function EventFanout({ r }: { r: OutcomeRecord }) {
  const zone = useDisplayZone();
  const { fan, q } = useEventFanout(r);
  if (!fan || !r.valid) return null;
  // In the order the handlers answered: the event's story.
  const records = [...(q.data?.records ?? [])].sort((a, b) => outcomeTime(a) - outcomeTime(b));
  const handlers = new Set(records.map((x) => x.handler_id)).size;
  const basis =
    fan.basis === "event_id" ? (
      <>
        event id <span className="mono">{r.body.event.id}</span>
      </>
    ) : (
      <>
        no event id: outcomes of <span className="mono">{r.body.event.subject}</span> within ±{BY_SUBJECT_HALF_WIDTH_MS / 1000} s (may
        include neighbouring events)
      </>
    );
  return (
    <section className="panel" data-testid="event-fanout">
      <h2>This event, every handler</h2>
      <p className="muted" data-testid="event-fanout-basis">
        {basis}
        {q.data && ` · ${formatCount(records.length)} outcomes from ${formatCount(handlers)} handlers`}
        {q.data?.truncated && " · only the newest part of the range was read"}
      </p>
      {q.isError ? (
        <div className="warn-text">Could not read the event&apos;s outcomes: {(q.error as Error).message}</div>
      ) : (
        <table className="data">
          <thead>
            <tr>
              <th>Handler</th>
              <th>Kind</th>
              <th>Severity</th>
              <th>What happened</th>
              <th className="num">Emitted</th>
              <th className="num">Duration</th>
            </tr>
          </thead>
          <tbody>
            {records.map((x) => (
              <tr key={x.id} data-testid="event-fanout-row" aria-current={x.id === r.id ? "true" : undefined}>
                <td>{x.id === r.id ? <b>{x.handler_id} (this outcome)</b> : <Link href={links.outcome(x.id)}>{x.handler_id}</Link>}</td>
                {x.valid ? (
                  <>
                    <td>
                      <KindLabel kind={x.body.kind} />
                    </td>
                    <td>
                      <SeverityPill severity={x.body.severity} />
                    </td>
                    <td>{x.body.kind === "errored" ? exceptionLine(x.body.diagnostic) : (x.body.summary ?? "—")}</td>
                    <td className="num">{formatUtc(x.body.emitted_at, zone, true)}</td>
                    <td className="num">{formatDuration(x.body.duration_ms)}</td>
                  </>
                ) : (
                  <td colSpan={5} className="muted">
                    malformed
                  </td>
                )}
              </tr>
            ))}
            {q.isPending && <EmptyRow columns={6}>reading…</EmptyRow>}
          </tbody>
        </table>
      )}
    </section>
  );
}
