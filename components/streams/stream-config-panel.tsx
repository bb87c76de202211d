"use client";
import { useState } from "react";
import { KeyValueList, type KeyValueRow } from "@/components/ui/key-value-list";
import { formatBytes, formatCount, formatDuration, formatUtc } from "@/lib/format";
import type { StreamSummary } from "@/lib/streams/types";
import { roundBytes } from "./fill-bars";
import { useRawStreamInfo } from "./use-stream-queries";
import { useDisplayZone } from "@/components/ui/display-zone";

const limit = (n: number, fmt: (n: number) => string) => (n > 0 ? fmt(n) : "unlimited");

/** The stream's configuration as busdeck reads it, with the raw JetStream info one click away. */
export function StreamConfigPanel({ s }: { s: StreamSummary }) {
  const zone = useDisplayZone();
  const c = s.config;
  const rows: KeyValueRow[] = [
    { label: "Subjects", value: <span className="mono">{c.subjects.join(", ") || "—"}</span> },
    { label: "Retention", value: c.retention },
    { label: "Storage", value: c.storage },
    { label: "Replicas", value: c.replicas },
    { label: "Discard", value: c.discard },
    { label: "Max age", value: limit(c.max_age_ms, formatDuration) },
    { label: "Max bytes", value: limit(c.max_bytes, roundBytes) },
    { label: "Max messages", value: limit(c.max_msgs, formatCount) },
    { label: "Max message size", value: limit(c.max_msg_size, formatBytes) },
    { label: "Mirror", value: c.mirror ?? "—" },
    { label: "Sources", value: c.sources.length ? c.sources.join(", ") : "—" },
    { label: "Created", value: formatUtc(s.created, zone) },
  ];
  return (
    <div className="panel" data-testid="stream-config">
      <h2>Configuration</h2>
      <KeyValueList rows={rows} />
      <RawInfo name={s.name} />
    </div>
  );
}

/** Every field JetStream reports, as JSON text, fetched only when opened. */
function RawInfo({ name }: { name: string }) {
  const [open, setOpen] = useState(false);
  const info = useRawStreamInfo(name, open);
  return (
    <details style={{ marginTop: 10 }} onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)} data-testid="stream-raw-info">
      <summary className="muted" style={{ cursor: "pointer" }}>
        Full configuration and state (JSON from the JetStream API)
      </summary>
      {info.isError ? (
        <div className="bad-text">{(info.error as Error).message}</div>
      ) : (
        <pre className="payload" style={{ marginTop: 6, maxHeight: 360 }}>
          {info.data ? JSON.stringify(info.data, null, 2) : "loading…"}
        </pre>
      )}
    </details>
  );
}
