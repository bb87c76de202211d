"use client";
import { ChartFrame } from "@/components/ui/chart-frame";
import { useWithPersisted } from "@/components/ui/use-persisted-history";
import { links } from "@/lib/links";
import { DEFAULT_RATE_RANGE, HISTORY_RANGES, type HistoryRange } from "@/lib/streams/queries";
import { fixedRange, inTimeRange, type TimeRange } from "@/lib/time/range";
import { ChartStreamRates } from "./chart-stream-rates";
import { useRateHistory } from "./use-stream-queries";

const RANGES = Object.keys(HISTORY_RANGES) as HistoryRange[];

/** Ingest rate over the shared time range; `range` is the in-memory window that covers it. */
export function StreamRatesPanel({
  name,
  range,
  timeRange,
  onRange,
}: {
  name: string;
  range: HistoryRange;
  timeRange: TimeRange;
  onRange: (r: TimeRange) => void;
}) {
  const history = useRateHistory(name, range);
  // After a restart (or for a range older than this process) busdeck's persisted history fills in the chart.
  const points = useWithPersisted(links.api.streamHistory(name), timeRange, HISTORY_RANGES[range], history.data?.points).filter((p) =>
    inTimeRange(p.t, timeRange),
  );
  return (
    <ChartFrame
      title="Ingest rate"
      note="from busdeck's own samples (15 min in memory, older from its history stream)"
      png={{
        panel: "Ingest rate",
        entity: { kind: "stream", parts: [name] },
        defaultWindowMs: HISTORY_RANGES[DEFAULT_RATE_RANGE],
        testId: "png-stream-rates",
      }}
      ranges={{ options: RANGES, selected: timeRange.kind === "fixed" ? null : range, onSelect: (r) => onRange({ kind: "live", last: r }) }}
      empty={points.length < 2}
      chartProps={{ "data-testid": "rate-chart" }}
    >
      <ChartStreamRates points={points} onRange={(from, to) => onRange(fixedRange(from, to))} />
    </ChartFrame>
  );
}
