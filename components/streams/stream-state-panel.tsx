"use client";
import { KeyValueList, type KeyValueRow } from "@/components/ui/key-value-list";
import { formatCount, formatDuration, formatUtc } from "@/lib/format";
import { limitConsequence, type FillLevel, type StreamSummary } from "@/lib/streams/types";
import { FillBars, fillLabel } from "./fill-bars";
import { ClusterTable, ReplicationTable } from "./stream-replicas";
import { useDisplayZone } from "@/components/ui/display-zone";

/**
 * First and last message, how full each limit is and, when one will be reached, why it matters; then the
 * replicas and the streams this one copies from. `rateBasis` names the rate the "full in" estimate used.
 */
export function StreamStatePanel({
  s,
  levels,
  warning,
  rateBasis,
}: {
  s: StreamSummary;
  levels: FillLevel[];
  warning: FillLevel | null;
  rateBasis: string;
}) {
  const zone = useDisplayZone();
  const rows: KeyValueRow[] = [
    { label: "First", value: `#${formatCount(s.state.first_seq)} · ${formatUtc(s.state.first_ts, zone)}` },
    { label: "Last", value: `#${formatCount(s.state.last_seq)} · ${formatUtc(s.state.last_ts, zone)}` },
    { label: "Subjects", value: formatCount(s.state.num_subjects) },
    { label: "Deleted", value: formatCount(s.state.num_deleted) },
    { label: "Fill", value: <FillBars levels={levels} /> },
  ];
  if (warning)
    rows.push({
      label: "Warning",
      className: "warn-text",
      value: `${warning.limit} ${fillLabel(warning)}: ${
        warning.status === "full"
          ? "at the limit"
          : `full in ~${formatDuration(warning.eta_ms)} at the ${rateBasis} rate, inside the retention window`
      } — ${limitConsequence(s.config.discard)}`,
    });
  return (
    <div className="panel">
      <h2>State</h2>
      <KeyValueList rows={rows} />
      {s.cluster && <ClusterTable cluster={s.cluster} />}
      {s.replication && s.replication.length > 0 && <ReplicationTable replication={s.replication} />}
    </div>
  );
}
