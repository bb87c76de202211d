"use client";
import Link from "@/components/ui/range-link";
import { useUrlState } from "@/components/ui/use-url-state";
import { useLiveTopic } from "@/components/live/use-live-events";
import { MissingResource } from "@/components/ui/missing-resource";
import { formatCount } from "@/lib/format";
import { links } from "@/lib/links";
import { DEFAULT_RATE_RANGE, HISTORY_RANGES, parseStreamDetailState, streamDetailStateToSearch } from "@/lib/streams/queries";
import { useNow } from "@/components/ui/use-now";
import { useTimeRange } from "@/components/ui/use-time-range";
import { coveringWindow } from "@/lib/time/range";
import { fillLevels, limitWarning } from "@/lib/streams/types";
import { useHydrated } from "@/components/ui/use-hydrated";
import { meanRates } from "@/lib/streams/rate-history";
import { useRateHistory } from "./use-stream-queries";
import styles from "./streams.module.css";
import { StreamHead } from "./stream-head";
import { StreamConfigPanel } from "./stream-config-panel";
import { StreamStatePanel } from "./stream-state-panel";
import { IgnoredParam } from "@/components/ui/ignored-param";
import { StreamRatesPanel } from "./stream-rates-panel";
import { StreamSubjectsPanel } from "./stream-subjects-panel";
import { StreamConsumersPanel } from "./stream-consumers-panel";

/** One stream: headline figures, configuration and state, ingest rate, messages per subject and its consumers. */
export function StreamDetailView({ name }: { name: string }) {
  const live = useLiveTopic("streams").data;
  const snap = useHydrated() ? live : undefined;
  const [state, setState] = useUrlState(parseStreamDetailState, streamDetailStateToSearch);
  // The shared time range, within the 15 minutes busdeck keeps: the smallest window that covers it.
  const { range: timeRange, setRange } = useTimeRange();
  const rateRange = coveringWindow(timeRange, useNow(30_000), HISTORY_RANGES, DEFAULT_RATE_RANGE);
  const steadyRate = meanRates(useRateHistory(name, rateRange).data?.points ?? []);
  const s = snap?.streams.find((x) => x.name === name);
  if (!s) {
    return (
      <>
        <Breadcrumb name={name} />
        {!snap || snap.status === "initializing" ? (
          <div className="panel empty" data-testid="stream-missing">
            Waiting for the first sample…
          </div>
        ) : (
          <MissingResource
            reason={`No stream named "${name}": the latest sample lists ${formatCount(snap.streams.length)} ${snap.streams.length === 1 ? "stream" : "streams"}, none by that name`}
            next={{ href: links.streams(), label: "see Streams" }}
            testId="stream-missing"
          />
        )}
      </>
    );
  }
  const now = snap?.sampled_at ? Date.parse(snap.sampled_at) : 0;
  // "Full in …" from the mean over the chart's range: one 1 s sample is too jumpy to promise a date.
  const levels = fillLevels(s, now, steadyRate ?? s.rates);
  const warning = limitWarning(levels);
  return (
    <>
      <Breadcrumb name={name} />
      {state.ignored.length > 0 && <IgnoredParam problem={state.ignored.join("; ")} testId="stream-url-error" />}
      <StreamHead s={s} warning={warning} />
      <div className={styles.detailGrid}>
        <StreamConfigPanel s={s} />
        <StreamStatePanel s={s} levels={levels} warning={warning} rateBasis={steadyRate ? `${rateRange} mean` : "current"} />
      </div>
      <StreamRatesPanel name={s.name} range={rateRange} timeRange={timeRange} onRange={setRange} />
      <StreamSubjectsPanel name={s.name} top={state.top} onTop={(top) => setState({ top })} />
      <StreamConsumersPanel name={s.name} />
    </>
  );
}

function Breadcrumb({ name }: { name: string }) {
  return (
    <div className="muted" style={{ marginBottom: 4 }}>
      <Link href={links.streams()}>Streams</Link> / {name}
    </div>
  );
}
