/** The columns of each exported table. Times are UTC ISO-8601; figures are raw numbers (no units, no commas). */
import type { Column } from "./csv";
import type { ConsumerRow } from "../../consumers/types";
import { lagMessages } from "../../consumers/types";
import type { TimelineEntry } from "../../failover/timeline";
import type { ErrorGroup, OutcomeRecord } from "../../outcomes/outcome";
import type { StreamRow } from "../../streams/list";

const iso = (s: string | null | undefined) => {
  if (!s) return null;
  const t = Date.parse(s);
  return Number.isNaN(t) ? s : new Date(t).toISOString();
};

/** A list row plus the time of the sample it comes from (the rows topic carries that once, in its meta). */
export type ConsumerExportRow = ConsumerRow & { sampled_at: string | null };

export const CONSUMER_COLUMNS: Column<ConsumerExportRow>[] = [
  { header: "stream", value: (c) => c.stream },
  { header: "consumer", value: (c) => c.name },
  { header: "status", value: (c) => c.insight?.health.status ?? null },
  { header: "lag_msgs", value: (c) => lagMessages(c) },
  { header: "lag_seconds", value: (c) => c.insight?.lag_seconds ?? null },
  { header: "num_pending", value: (c) => c.num_pending },
  { header: "num_ack_pending", value: (c) => c.num_ack_pending },
  { header: "num_redelivered", value: (c) => c.num_redelivered },
  { header: "consume_per_s", value: (c) => c.insight?.consume_per_s ?? null },
  { header: "ingest_per_s", value: (c) => c.insight?.ingest_per_s ?? null },
  { header: "drain_state", value: (c) => c.insight?.drain.state ?? null },
  { header: "drain_seconds", value: (c) => c.insight?.drain.seconds ?? null },
  { header: "evidence", value: (c) => c.insight?.health.evidence ?? null },
  { header: "sampled_at", value: (c) => iso(c.sampled_at) },
];

export const STREAM_COLUMNS: Column<StreamRow>[] = [
  { header: "stream", value: ({ stream: s }) => s.name },
  { header: "subjects", value: ({ stream: s }) => s.config.subjects.join(" ") },
  { header: "messages", value: ({ stream: s }) => s.state.messages },
  { header: "bytes", value: ({ stream: s }) => s.state.bytes },
  { header: "msgs_per_s", value: ({ stream: s }) => s.rates?.msgs_per_s ?? null },
  { header: "bytes_per_s", value: ({ stream: s }) => s.rates?.bytes_per_s ?? null },
  { header: "first_seq", value: ({ stream: s }) => s.state.first_seq },
  { header: "last_seq", value: ({ stream: s }) => s.state.last_seq },
  { header: "last_ts", value: ({ stream: s }) => iso(s.state.last_ts) },
  { header: "num_subjects", value: ({ stream: s }) => s.state.num_subjects },
  { header: "consumers", value: ({ stream: s }) => s.state.consumer_count },
  { header: "storage", value: ({ stream: s }) => s.config.storage },
  { header: "replicas", value: ({ stream: s }) => s.config.replicas },
  { header: "max_bytes", value: ({ stream: s }) => s.config.max_bytes },
  { header: "max_msgs", value: ({ stream: s }) => s.config.max_msgs },
  { header: "max_age_ms", value: ({ stream: s }) => s.config.max_age_ms },
  { header: "fill_ratio", value: (r) => r.fill },
  { header: "limit_warning", value: (r) => (r.warning ? `${r.warning.limit} ${r.warning.status}` : null) },
  { header: "replica_health", value: (r) => r.health?.label ?? null },
  { header: "sampled_at", value: ({ stream: s }) => iso(s.sampled_at) },
];

export const OUTCOME_COLUMNS: Column<OutcomeRecord>[] = [
  { header: "id", value: (r) => r.id },
  { header: "received_at", value: (r) => iso(r.received_at) },
  { header: "emitted_at", value: (r) => (r.valid ? iso(r.body.emitted_at) : null) },
  { header: "handler", value: (r) => r.handler_id },
  { header: "valid", value: (r) => r.valid },
  { header: "severity", value: (r) => (r.valid ? r.body.severity : null) },
  { header: "kind", value: (r) => (r.valid ? r.body.kind : null) },
  { header: "target", value: (r) => (r.valid ? (r.body.target ?? null) : null) },
  { header: "event_subject", value: (r) => (r.valid ? r.body.event.subject : null) },
  { header: "summary", value: (r) => (r.valid ? (r.body.summary ?? null) : null) },
  { header: "error", value: (r) => (r.valid ? null : r.error) },
  { header: "subject", value: (r) => r.subject },
  { header: "stream_seq", value: (r) => r.stream_seq ?? null },
];

/** `"'peer-1'" ×3; "'peer-2'" ×1`: each value JSON-quoted, so a "; " inside one cannot split it. */
const variantsCell = (examples: ErrorGroup["examples"]) => examples.map((e) => `${JSON.stringify(e.value)} ×${e.count}`).join("; ");

export const ERROR_GROUP_COLUMNS: Column<ErrorGroup>[] = [
  { header: "handler", value: (g) => g.handler_id },
  { header: "exception", value: (g) => g.exception },
  { header: "variants", value: (g) => variantsCell(g.examples) },
  { header: "count", value: (g) => g.count },
  { header: "first_seen", value: (g) => iso(g.first_seen) },
  { header: "last_seen", value: (g) => iso(g.last_seen) },
  { header: "last_id", value: (g) => g.last_id },
];

/** Lock transitions and JetStream leader changes in one table, as the failover view lists them. */
export const FAILOVER_COLUMNS: Column<TimelineEntry>[] = [
  { header: "at", value: (e) => iso(e.source === "lock" ? e.transition.at : e.leader.at) },
  { header: "source", value: (e) => e.source },
  { header: "bucket", value: (e) => (e.source === "lock" ? e.transition.bucket : null) },
  {
    header: "key_or_stream",
    value: (e) => (e.source === "lock" ? e.transition.key : [e.leader.stream, e.leader.consumer].filter(Boolean).join("/")),
  },
  { header: "kind", value: (e) => (e.source === "lock" ? e.transition.kind : e.leader.kind) },
  { header: "from", value: (e) => (e.source === "lock" ? e.transition.previous_holder : null) },
  { header: "to", value: (e) => (e.source === "lock" ? e.transition.holder : e.leader.leader) },
  { header: "gap_ms", value: (e) => (e.source === "lock" ? e.transition.gap_ms : null) },
  { header: "revision", value: (e) => (e.source === "lock" ? e.transition.revision : null) },
  { header: "split_brain", value: (e) => (e.source === "lock" ? e.transition.split_brain : null) },
  { header: "note", value: (e) => (e.source === "lock" ? (e.transition.warning ?? null) : null) },
];
