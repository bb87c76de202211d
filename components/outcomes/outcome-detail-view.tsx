"use client";
/** One outcome: why it failed (traceback), on what (the triggering event), and where to look next. */
import Link from "@/components/ui/range-link";
import { useState } from "react";
import { KeyValueList } from "@/components/ui/key-value-list";
import { PanelPng } from "@/components/ui/panel-png";
import { StatCard } from "@/components/ui/stat-card";
import { formatBytes, formatDuration, formatUtc } from "@/lib/format";
import { links } from "@/lib/links";
import { outcomeFilterToSearch, relatedFilters } from "@/lib/outcomes/filter";
import { exceptionLine, type OutcomeRecord } from "@/lib/outcomes/outcome";
import { KindLabel, MalformedBadge, SeverityPill } from "./outcome-pills";
import styles from "./outcomes.module.css";
import { useOutcomeDetail, type OutcomeDetailResponse } from "./use-outcomes";
import { EventFanout } from "./event-fanout";
import { useDisplayZone } from "@/components/ui/display-zone";

function CopyButton({ text, what }: { text: string; what: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState("copied");
    } catch {
      setState("failed"); // clipboard needs a secure context; the text is selectable anyway
    }
    setTimeout(() => setState("idle"), 1_500);
  };
  return (
    <button type="button" className="btn" onClick={copy} data-testid={`copy-${what}`}>
      {state === "copied" ? "copied ✓" : state === "failed" ? "copy failed — select the text" : `copy ${what}`}
    </button>
  );
}

/** Pretty JSON when the payload is structured; a string payload is shown as the raw text it is. */
function payloadText(payload: unknown): string {
  if (payload === undefined) return "(no payload echoed)";
  if (typeof payload === "string") return payload;
  return JSON.stringify(payload, null, 2);
}

function Headers({ headers }: { headers: OutcomeRecord["headers"] }) {
  const entries = Object.entries(headers ?? {});
  return (
    <section className="panel" data-testid="outcome-headers">
      <h2>Headers</h2>
      {entries.length === 0 ? (
        <span className="muted">none</span>
      ) : (
        <KeyValueList layout="fixed" rows={entries.map(([k, vs]) => ({ label: k, value: vs.join(", "), mono: true }))} />
      )}
    </section>
  );
}

function Related({ r }: { r: OutcomeRecord }) {
  const rel = relatedFilters(r);
  return (
    <div className={styles.related} data-testid="outcome-related">
      <span className="muted">±5 min:</span>
      <Link href={links.outcomes(outcomeFilterToSearch(rel.handler))} data-testid="related-handler">
        same handler ({r.handler_id})
      </Link>
      {rel.target ? (
        <Link href={links.outcomes(outcomeFilterToSearch(rel.target))} data-testid="related-target">
          same target
        </Link>
      ) : (
        <span className="muted">same target (none)</span>
      )}
      {rel.event ? (
        <Link href={links.outcomes(outcomeFilterToSearch(rel.event))} data-testid="related-event">
          same event subject
        </Link>
      ) : (
        <span className="muted">same event subject (unknown)</span>
      )}
    </div>
  );
}

function Detail({ data }: { data: OutcomeDetailResponse }) {
  const zone = useDisplayZone();
  const r = data.record;
  const ref = data.event_message;
  return (
    <div data-testid="outcome-detail">
      <div className={styles.crumbs}>
        <Link href={links.outcomes()}>Reflex outcomes</Link> / <Link href={links.handler(r.handler_id)}>{r.handler_id}</Link> /{" "}
        {r.stream_seq !== undefined ? `#${r.stream_seq}` : r.id}
      </div>
      <div className={styles.detailHead}>
        <h1>{r.handler_id}</h1>
        <PanelPng
          panel="Drill-down"
          entity={{ kind: "handler", parts: [r.handler_id, r.stream_seq !== undefined ? `#${r.stream_seq}` : r.id] }}
          selector="[data-testid=outcome-detail]"
          testId="png-outcome"
        />
        {r.valid ? (
          <>
            <KindLabel kind={r.body.kind} />
            <SeverityPill severity={r.body.severity} />
            <span className="muted">{r.body.kind === "errored" ? exceptionLine(r.body.diagnostic) : r.body.summary}</span>
          </>
        ) : (
          <MalformedBadge reason={r.error} />
        )}
      </div>
      {r.truncated && (
        <div className="warn-text" role="status" data-testid="outcome-truncated" style={{ margin: "8px 0" }}>
          This outcome is {formatBytes(r.size)}: busdeck shows its fields cut to a readable size (marked “cut by busdeck”).
          {r.stream_seq !== undefined && data.stream && (
            <>
              {" "}
              All of it: <Link href={links.message(data.stream, r.stream_seq)}>the stored message</Link>.
            </>
          )}
        </div>
      )}
      <Related r={r} />
      <div className={styles.facts} style={{ marginTop: 10 }}>
        <StatCard size="small" label="Stream sequence" value={r.stream_seq ?? "— (live only)"} testId="outcome-seq" />
        <StatCard size="small" label="Emitted" value={r.valid ? formatUtc(r.body.emitted_at, zone, true) : "—"} />
        <StatCard size="small" label="Stored / received" value={formatUtc(r.received_at, zone, true)} />
        <StatCard size="small" label="Duration" value={r.valid ? formatDuration(r.body.duration_ms) : "—"} />
        <StatCard size="small" label="Target" value={r.valid ? (r.body.target ?? "—") : "—"} />
        <StatCard size="small" label="Size" value={formatBytes(r.size)} />
      </div>
      {!r.valid && (
        <section className="panel" data-testid="outcome-raw">
          <div className={styles.warnBox}>This payload does not match the outcome contract: {r.error}. Shown as received.</div>
          <div className={styles.panelHead}>
            <h2>Raw payload</h2>
            <span className="right">
              <CopyButton text={r.raw} what="payload" />
            </span>
          </div>
          <pre className={styles.traceback}>{r.raw}</pre>
        </section>
      )}
      {r.valid && (
        <div className={styles.detailGrid}>
          <section className="panel">
            <div className={styles.panelHead}>
              <h2>Diagnostic</h2>
              <span className="right">{r.body.diagnostic && <CopyButton text={r.body.diagnostic} what="traceback" />}</span>
            </div>
            {r.body.summary && <p style={{ marginTop: 0 }}>{r.body.summary}</p>}
            {r.body.diagnostic ? (
              <pre className={styles.traceback} data-testid="outcome-diagnostic">
                {r.body.diagnostic}
              </pre>
            ) : (
              <span className="muted">No diagnostic (the handler did not raise).</span>
            )}
          </section>
          <section className="panel" data-testid="outcome-event">
            <div className={styles.panelHead}>
              <h2>Triggering event</h2>
              <span className="right">
                {ref ? (
                  <Link
                    href={links.message(ref.stream, ref.seq)}
                    data-testid="event-message-link"
                    title={ref.exact ? "matched by Nats-Msg-Id" : "nearest message on the subject (no event id)"}
                  >
                    {ref.stream} #{ref.seq}
                    {ref.exact ? "" : " (nearest)"} in Streams →
                  </Link>
                ) : (
                  <span className="muted">not found in any stream</span>
                )}
              </span>
            </div>
            <KeyValueList
              layout="fixed"
              rows={[
                { label: "Subject", value: <span className="mono">{r.body.event.subject}</span>, testId: "event-subject" },
                { label: "Event id", value: <span className="mono">{r.body.event.id ?? "—"}</span> },
                { label: "Received", value: formatUtc(r.body.event.received_at ?? null, zone, true) },
              ]}
            />
            <pre className={styles.traceback} data-testid="event-payload">
              {payloadText(r.body.event.payload)}
            </pre>
          </section>
        </div>
      )}
      {r.valid && <EventFanout r={r} />}
      <Headers headers={r.headers} />
    </div>
  );
}

export function OutcomeDetailView({ id }: { id: string }) {
  const q = useOutcomeDetail(id);
  if (q.isLoading) return <div className="empty">Loading outcome {id}…</div>;
  if (q.isError || !q.data)
    return (
      <div className="panel">
        <h1>Outcome {id}</h1>
        <p className="bad-text" data-testid="outcome-error">
          {(q.error as Error | null)?.message ?? "not found"}
        </p>
        <Link href={links.outcomes()}>← back to reflex outcomes</Link>
      </div>
    );
  return <Detail data={q.data} />;
}
