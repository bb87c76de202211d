"use client";
import Link from "@/components/ui/range-link";
import { StatCard } from "@/components/ui/stat-card";
import { StatusPill } from "@/components/ui/status-pill";
import { formatBytes, formatCount, formatDuration, formatRate } from "@/lib/format";
import { links } from "@/lib/links";
import { limitConsequence, replicaHealth, type FillLevel, type StreamSummary } from "@/lib/streams/types";

/** The stream's name, replica health and limit warning as pills, the way to its messages, and its headline figures. */
export function StreamHead({ s, warning }: { s: StreamSummary; warning: FillLevel | null }) {
  const health = replicaHealth(s.cluster, s.config.replicas);
  return (
    <>
      <div className="page-head">
        <h1 data-testid="stream-title">{s.name}</h1>
        <span className="sub">{s.config.description ?? ""}</span>
        {health && <StatusPill tone={health.tone} label={health.label} title={health.detail} />}
        {warning && (
          <StatusPill
            tone="warn"
            label={
              warning.status === "full" ? `${warning.limit} limit reached` : `${warning.limit} full in ${formatDuration(warning.eta_ms)}`
            }
            title={limitConsequence(s.config.discard)}
            testId="limit-warning"
          />
        )}
        <Link className="btn" href={links.browse(s.name)} data-testid="browse-messages" style={{ marginLeft: "auto" }}>
          Browse messages →
        </Link>
      </div>
      <div className="grid grid-4" style={{ marginBottom: 12 }}>
        <StatCard label="Messages" value={formatCount(s.state.messages)} testId="detail-messages" />
        <StatCard label="Bytes" value={formatBytes(s.state.bytes)} />
        <StatCard
          label="Ingest"
          value={formatRate(s.rates?.msgs_per_s, " msg/s")}
          sub={s.rates ? `${formatBytes(Math.round(s.rates.bytes_per_s))}/s` : undefined}
        />
        <StatCard label="Consumers" value={formatCount(s.state.consumer_count)} />
      </div>
    </>
  );
}
