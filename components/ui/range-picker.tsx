"use client";
import { useRef, useState } from "react";
import { usePathname } from "next/navigation";
import { zoneName } from "@/lib/format";
import {
  describeTimeRange,
  parseRangeInput,
  PICKER_PRESETS,
  RANGE_INPUT_FORMAT,
  toRangeInput,
  viewDefaultWindow,
  type DisplayZone,
  type TimeRange,
  type TrailingWindow,
} from "@/lib/time/range";
import { FreezeButton } from "@/components/snapshots/freeze-button";
import { useHydrated } from "./use-hydrated";
import { useNow } from "./use-now";
import { useTimeRange } from "./use-time-range";

/**
 * The shell's time range: live (each view's default window), last 15m…24h, or a custom fixed range; plus the
 * UTC/local switch. Everything is in the URL, and the active range is always spelled out with its zone.
 */
export function RangePicker() {
  // A frozen snapshot keeps the range it was taken with (its banner says which); the snapshot list has no range.
  const pathname = usePathname();
  if (!hasLiveTimeRange(pathname)) return null;
  return <LiveRangePicker viewDefault={viewDefaultWindow(pathname ?? "")} />;
}

const hasLiveTimeRange = (path: string | null) => !(path?.startsWith("/s/") || path === "/snapshots");

function LiveRangePicker({ viewDefault }: { viewDefault: TrailingWindow | null }) {
  const { range, error, zone, setRange, setZone } = useTimeRange();
  const hydrated = useHydrated();
  const [custom, setCustom] = useState(false);
  const customToggle = useRef<HTMLButtonElement>(null);
  // Closing the custom range (cancel or Escape) hands focus back to its toggle rather than losing it.
  const closeCustom = () => {
    setCustom(false);
    customToggle.current?.focus();
  };
  const shownZone = hydrated ? zone : "utc";
  const isLive = (last: string | null) => range.kind === "live" && range.last === last;
  return (
    <div className="rangebar" data-testid="range-picker">
      <span className="muted">Time</span>
      <span className="seg" role="group" aria-label="time presets">
        <button type="button" aria-pressed={isLive(null)} onClick={() => setRange({ kind: "live", last: null })}>
          live
        </button>
        {PICKER_PRESETS.map((p) => (
          <button key={p} type="button" aria-pressed={isLive(p)} onClick={() => setRange({ kind: "live", last: p })}>
            {p}
          </button>
        ))}
        <button
          type="button"
          aria-pressed={range.kind === "fixed" || custom}
          onClick={() => setCustom((c) => !c)}
          ref={customToggle}
          data-testid="range-custom"
        >
          custom…
        </button>
      </span>
      <span className="tabular rangebar-active" data-testid="range-active">
        {describeTimeRange(range, shownZone, viewDefault)}
        {range.kind === "live" && ` · times in ${zoneName(shownZone)}`}
      </span>
      {error && (
        <span className="warn-text" title={error}>
          ignored: {error}
        </span>
      )}
      <span className="seg rangebar-zone" role="group" aria-label="time zone">
        <button type="button" aria-pressed={shownZone === "utc"} onClick={() => setZone("utc")}>
          UTC
        </button>
        <button type="button" aria-pressed={shownZone === "local"} onClick={() => setZone("local")}>
          local
        </button>
      </span>
      {/* Freezing keeps this view with this range and these filters: it sits with them, not in the site nav. */}
      <FreezeButton />
      {custom && (
        <CustomRange
          range={range}
          zone={shownZone}
          onApply={(r) => {
            setRange(r);
            setCustom(false);
          }}
          onCancel={closeCustom}
        />
      )}
    </div>
  );
}

/** The custom range, typed as 24-hour wall clocks in the shown zone; each field says what is wrong with it. */
function CustomRange({
  range,
  zone,
  onApply,
  onCancel,
}: {
  range: TimeRange;
  zone: DisplayZone;
  onApply: (r: TimeRange) => void;
  onCancel: () => void;
}) {
  const now = useNow();
  const [from, setFrom] = useState(() => toRangeInput(range.kind === "fixed" ? Date.parse(range.from) : now - 3600_000, zone));
  const [to, setTo] = useState(() => toRangeInput(range.kind === "fixed" ? Date.parse(range.to) : now, zone));
  const f = parseRangeInput(from, zone);
  const t = parseRangeInput(to, zone);
  const problem =
    "error" in f
      ? `from: ${f.error}`
      : "error" in t
        ? `to: ${t.error}`
        : Date.parse(f.iso) >= Date.parse(t.iso)
          ? "to: must be after from"
          : null;
  return (
    <form
      className="rangebar-custom"
      onKeyDown={(e) => {
        if (e.key !== "Escape") return;
        e.stopPropagation();
        onCancel();
      }}
      onSubmit={(e) => {
        e.preventDefault();
        if (!problem && "iso" in f && "iso" in t) onApply({ kind: "fixed", from: f.iso, to: t.iso });
      }}
    >
      <RangeField label="from" value={from} onChange={setFrom} invalid={"error" in f} testId="range-from" />
      <RangeField label="to" value={to} onChange={setTo} invalid={"error" in t || problem?.startsWith("to:") === true} testId="range-to" />
      <span className="muted">{zoneName(zone)}, 24-hour</span>
      <button type="submit" className="btn" disabled={problem !== null} data-testid="range-apply">
        apply
      </button>
      <button type="button" className="btn btn-ghost" onClick={onCancel}>
        cancel
      </button>
      {problem && (
        <span className="warn-text" id="range-problem" role="status" data-testid="range-problem">
          {problem}
        </span>
      )}
    </form>
  );
}

function RangeField({
  label,
  value,
  onChange,
  invalid,
  testId,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  invalid: boolean;
  testId: string;
}) {
  return (
    <label>
      {label}{" "}
      <input
        type="text"
        className="tabular rangebar-time"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        placeholder={RANGE_INPUT_FORMAT}
        title={`${RANGE_INPUT_FORMAT}, 24-hour; seconds optional`}
        spellCheck={false}
        autoComplete="off"
        size={19}
        aria-invalid={invalid}
        aria-describedby={invalid ? "range-problem" : undefined}
        data-testid={testId}
      />
    </label>
  );
}
