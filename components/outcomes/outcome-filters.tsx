"use client";
import { memo, useEffect, useState } from "react";
import { formatCount, formatUtc } from "@/lib/format";
import type { OutcomeFilter } from "@/lib/outcomes/filter";
import { SEVERITIES, type Severity } from "@/lib/outcomes/outcome";
import styles from "./outcomes.module.css";
import type { FilterPatch } from "./use-outcomes";
import { useDisplayZone } from "@/components/ui/display-zone";

const PRESETS = [
  { label: "15m", ms: 15 * 60_000 },
  { label: "1h", ms: 3_600_000 },
  { label: "6h", ms: 6 * 3_600_000 },
];

/** Every control writes the URL (through `onChange`); the text box commits after a pause in typing. */
/** Memoized: the view re-renders for every SSE flush; the filter bar only when its own inputs change. */
export const OutcomeFilters = memo(function OutcomeFilters({
  filter,
  handlers,
  kinds,
  exceptions,
  onChange,
  paused,
  newCount,
  onPause,
  shown,
  now,
}: {
  filter: OutcomeFilter;
  handlers: string[];
  kinds: string[];
  /** Error-group patterns to offer (lib/outcomes/fingerprint.ts). */
  exceptions: string[];
  onChange: (patch: FilterPatch) => void;
  paused: boolean;
  newCount: number;
  onPause: (paused: boolean) => void;
  shown: number;
  now: number;
}) {
  const zone = useDisplayZone();
  const [target, setTarget] = useState(filter.target ?? "");
  useEffect(() => setTarget(filter.target ?? ""), [filter.target]);
  useEffect(() => {
    if ((filter.target ?? "") === target.trim()) return;
    const t = setTimeout(() => onChange({ target: target.trim() || undefined }), 300);
    return () => clearTimeout(t);
  }, [target, filter, onChange]);

  const toggleSeverity = (s: Severity) =>
    onChange((current) => {
      const cur = current.severity ?? [];
      const next = cur.includes(s) ? cur.filter((x) => x !== s) : [...cur, s];
      return { severity: next.length ? SEVERITIES.filter((x) => next.includes(x)) : undefined };
    });
  const handlerOptions = [...new Set([...handlers, ...(filter.handler ? [filter.handler] : [])])].sort();
  const exceptionOptions = [...new Set([...exceptions, ...(filter.exception ? [filter.exception] : [])])].sort();
  const kindOptions = [...new Set(["errored", "logged", ...kinds, ...(filter.kind ? [filter.kind] : [])])];

  return (
    <div className={styles.filters} data-testid="outcome-filters">
      <label>
        handler
        <select
          value={filter.handler ?? ""}
          onChange={(e) => onChange({ handler: e.target.value || undefined })}
          data-testid="filter-handler"
        >
          <option value="">all</option>
          {handlerOptions.map((h) => (
            <option key={h} value={h}>
              {h}
            </option>
          ))}
        </select>
      </label>
      <span role="group" aria-label="severity">
        {SEVERITIES.map((s) => (
          <button
            key={s}
            type="button"
            className={styles.sevToggle}
            aria-pressed={filter.severity?.includes(s) ?? false}
            onClick={() => toggleSeverity(s)}
            data-testid={`filter-severity-${s}`}
          >
            {s}
          </button>
        ))}
      </span>
      <label>
        kind
        <select value={filter.kind ?? ""} onChange={(e) => onChange({ kind: e.target.value || undefined })} data-testid="filter-kind">
          <option value="">all</option>
          {kindOptions.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
      </label>
      <label>
        exception
        <select
          value={filter.exception ?? ""}
          onChange={(e) => onChange({ exception: e.target.value || undefined })}
          className={styles.exceptionSelect}
          title={filter.exception ?? "all exceptions"}
          data-testid="filter-exception"
        >
          <option value="">all</option>
          {exceptionOptions.map((x) => (
            <option key={x} value={x}>
              {x}
            </option>
          ))}
        </select>
      </label>
      <label>
        target
        <input
          type="search"
          placeholder="substring"
          value={target}
          onChange={(e) => setTarget(e.target.value)}
          data-testid="filter-target"
        />
      </label>
      {filter.event && (
        <span className={styles.rangeChip} title="triggering event subject">
          event {filter.event}{" "}
          <button type="button" className="btn-ghost" onClick={() => onChange({ event: undefined })} aria-label="clear event subject">
            ×
          </button>
        </span>
      )}
      <span>
        {PRESETS.map((p) => (
          <button
            key={p.label}
            type="button"
            className="btn btn-ghost"
            onClick={() => onChange({ from: new Date(now - p.ms).toISOString(), to: new Date(now).toISOString() })}
          >
            {p.label}
          </button>
        ))}
      </span>
      {(filter.from || filter.to) && (
        <span className={styles.rangeChip} data-testid="filter-range">
          {formatUtc(filter.from ?? null, zone)} → {filter.to ? formatUtc(filter.to, zone) : "now"}{" "}
          <button
            type="button"
            className="btn-ghost"
            onClick={() => onChange({ from: undefined, to: undefined })}
            aria-label="back to live"
          >
            ×
          </button>
        </span>
      )}
      <button
        type="button"
        className="btn btn-ghost"
        onClick={() =>
          onChange({
            handler: undefined,
            severity: undefined,
            kind: undefined,
            target: undefined,
            event: undefined,
            exception: undefined,
            from: undefined,
            to: undefined,
          })
        }
        disabled={Object.keys(filter).length === 0}
      >
        clear
      </button>
      <span className={styles.spacer} />
      <span className="muted tabular">{formatCount(shown)} shown</span>
      {!filter.to && (
        <>
          {paused && (
            <span className={styles.newCount} data-testid="feed-new-count">
              {newCount >= 2_000 ? "2,000+" : formatCount(newCount)} new
            </span>
          )}
          <button type="button" className="btn" onClick={() => onPause(!paused)} data-testid="feed-pause" aria-pressed={paused}>
            {paused ? "▶ resume" : "❚❚ pause"}
          </button>
        </>
      )}
    </div>
  );
});
