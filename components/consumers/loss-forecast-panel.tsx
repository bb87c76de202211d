"use client";
import { useLiveTopic } from "@/components/live/use-live-events";
import { KeyValueList, type KeyValueRow } from "@/components/ui/key-value-list";
import { StatusPill } from "@/components/ui/status-pill";
import { useDisplayZone } from "@/components/ui/display-zone";
import { useNow } from "@/components/ui/use-now";
import { lossBrief, lossBriefText, lossTone } from "@/lib/consumers/loss-forecast";
import type { ConsumerSummary } from "@/lib/consumers/types";
import { formatBytes, formatCount, formatDuration, formatRate, formatUtc } from "@/lib/format";
import type { StreamSummary } from "@/lib/streams/types";
import styles from "./consumers.module.css";

const limitText = (n: number | undefined, show: (n: number) => string) => (n !== undefined && n > 0 ? show(n) : "—");

/** The stream's limits and state, and the consumer's position: what the forecast was computed from. */
function inputRows(c: ConsumerSummary, s: StreamSummary | undefined, zone: ReturnType<typeof useDisplayZone>): KeyValueRow[] {
  const i = c.insight;
  const rows: KeyValueRow[] = [{ label: "Ack floor", value: `stream #${formatCount(c.ack_floor.stream_seq)}` }];
  if (i?.lag_seconds != null && i.lag_seconds > 0)
    rows.push({
      label: "Oldest unprocessed",
      value: `${formatUtc(Date.parse(c.sampled_at) - i.lag_seconds * 1000, zone)} (${i.lag_seconds_source})`,
    });
  if (!s) return rows;
  const k = s.config;
  rows.push(
    {
      label: "Stream limits",
      value:
        `max_age ${limitText(k.max_age_ms, formatDuration)} · max_msgs ${limitText(k.max_msgs, formatCount)} · ` +
        `max_bytes ${limitText(k.max_bytes, formatBytes)} · per subject ${limitText(k.max_msgs_per_subject, formatCount)} · discard ${k.discard}`,
    },
    {
      label: "Stream holds",
      value: `#${formatCount(s.state.first_seq)}–#${formatCount(s.state.last_seq)} · ${formatCount(s.state.messages)} msgs · ${formatBytes(s.state.bytes)}`,
    },
    { label: "Ingest", value: formatRate(i?.ingest_per_s ?? s.rates?.msgs_per_s) },
  );
  return rows;
}

/** The consumer's loss forecast with its inputs, counting down from the sample it was made on. */
export function LossForecastPanel({ c }: { c: ConsumerSummary }) {
  const zone = useDisplayZone();
  const now = useNow();
  const stream = useLiveTopic("streams").data?.streams.find((s) => s.name === c.stream);
  const loss = c.insight?.loss;
  const sampledAt = Date.parse(c.sampled_at);
  const brief = loss ? lossBrief(loss, sampledAt) : null;
  const filtered = c.config.filter_subjects.length > 0;
  const tone = brief ? lossTone(brief, now) : "calm";
  return (
    <section className="panel" data-testid="consumer-loss-forecast" data-loss-kind={loss?.kind ?? "none"}>
      <h2 className={styles.panelTitle}>
        Loss forecast <span className={styles.right}>as of {formatUtc(c.sampled_at, zone)}</span>
      </h2>
      {brief && loss ? (
        <>
          <p className={styles.lossHeadline}>
            <StatusPill
              tone={tone === "bad" ? "bad" : tone === "warn" ? "warn" : "info"}
              label={lossBriefText(brief, filtered, now)}
              sentence
            />{" "}
            {brief.kind !== "already_evicted" && <span className="tabular">at {formatUtc(brief.value, zone)}</span>}
            {loss.limit && <span className="muted"> · {loss.limit}</span>}
            {!loss.exact && <span className="muted"> · approximate</span>}
          </p>
          <p className={styles.lossEvidence} data-testid="consumer-loss-evidence">
            {loss.evidence}
          </p>
        </>
      ) : (
        <p className="muted" style={{ margin: 0 }}>
          Nothing at risk: no unprocessed message is due to be evicted, and the stream is not refusing publishes (or no rate is known yet).
        </p>
      )}
      <KeyValueList rows={inputRows(c, stream, zone)} />
    </section>
  );
}
