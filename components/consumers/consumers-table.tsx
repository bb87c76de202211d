"use client";
import Link from "@/components/ui/range-link";
import { useVirtualizer } from "@tanstack/react-virtual";
import { memo, useRef } from "react";
import { drainIsAlarming, formatDrain } from "@/lib/consumers/health";
import { lossBriefText, lossTone } from "@/lib/consumers/loss-forecast";
import { FIRST_SCREEN_ROWS, type SortColumn, type ConsumerListState } from "@/lib/consumers/search-params";
import { consumerRowKey, lagMessages, type ConsumerRow } from "@/lib/consumers/types";
import { formatCount, formatDuration, formatRate, formatUtcTime, type DisplayZone } from "@/lib/format";
import { links } from "@/lib/links";
import { classifyConsumer, type ConsumerKind } from "@/lib/own-resources";
import { KindTag } from "@/components/ui/show-internal";
import { useHeldOrder } from "@/components/ui/use-held-order";
import { ResortNote } from "@/components/ui/resort-note";
import styles from "./consumers.module.css";
import { HealthPill } from "./health-pill";
import { StatusPill } from "@/components/ui/status-pill";
import { useDisplayZone } from "@/components/ui/display-zone";
import { Sparkline } from "./sparkline";
import { EmptyRow } from "@/components/ui/empty-row";
import { SortableHead, type SortableColumn } from "@/components/ui/sortable-head";

const ROW_HEIGHT = 31;

const COLUMNS: (SortableColumn<SortColumn> & { label: string; width: number })[] = [
  { sort: "status", label: "Status", width: 78 },
  { sort: "name", label: "Consumer", width: 230 },
  { sort: "lag_msgs", label: "Lag msgs", width: 92, num: true, title: "num_pending + num_ack_pending" },
  { sort: "lag_seconds", label: "Lag s", width: 82, num: true, title: "age of the oldest unprocessed message" },
  { sort: "ack_pending", label: "Ack pend.", width: 84, num: true },
  { sort: "redelivered", label: "Redeliv.", width: 78, num: true },
  { sort: "consume", label: "Consume / ingest", width: 140, num: true, title: "ack floor advance vs stream ingest, per second" },
  { sort: "drain", label: "Drain", width: 86, num: true, title: "time to drain at current rates" },
  {
    sort: null,
    label: "Loss",
    width: 116,
    num: true,
    title: "loss forecast: when the stream's limits take messages this consumer has not processed",
  },
  { sort: null, label: "Trend", width: 104 },
];

export const lagSecondsText = (c: ConsumerRow) => {
  const s = c.insight?.lag_seconds;
  if (s === null || s === undefined) return lagMessages(c) === 0 ? "0s" : "—";
  return s === 0 ? "0s" : formatDuration(s * 1000);
};

const OVERSCAN = 12;
/** The window the server renders (no element to measure there) and hydration repeats: as many rows as it has. */
const FIRST_RECT = { width: 0, height: (FIRST_SCREEN_ROWS - OVERSCAN) * ROW_HEIGHT };

/**
 * `count` rows in all, of which `rows` holds the first ones at least: all of them `live`, the server's first
 * screen before that (the rest of the scroll height is there, so nothing jumps when they arrive).
 */
export function ConsumersTable({
  rows: liveOrder,
  orderBasis,
  live,
  count,
  state,
  onSort,
  empty,
  ownStreams = [],
  sampledAt = null,
  unknown,
}: {
  rows: ConsumerRow[];
  orderBasis: string;
  live: boolean;
  count: number;
  state: ConsumerListState;
  onSort: (col: SortColumn) => void;
  empty: string;
  /** busdeck's own streams: their consumers are listed (on request) without alarm colours. */
  ownStreams?: readonly string[];
  /** The rows' sample time: loss forecasts count down from it. */
  sampledAt?: string | null;
  /** Consumers the last sample could not read (consumerKey → since): their rows are the last good reading, greyed. */
  unknown?: Record<string, string>;
}) {
  const zone = useDisplayZone();
  const sampledAtMs = sampledAt ? Date.parse(sampledAt) : NaN;
  const scroller = useRef<HTMLDivElement>(null);
  // Rows stay put while the pointer or focus is on the table; a sort or filter of the reader's own applies at once.
  const order = useHeldOrder(liveOrder, consumerRowKey, orderBasis);
  const rows = order.rows;
  const virtual = useVirtualizer({
    count,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: OVERSCAN,
    initialRect: FIRST_RECT,
  });
  const items = virtual.getVirtualItems();
  const padTop = items[0]?.start ?? 0;
  const padBottom = items.length ? virtual.getTotalSize() - items[items.length - 1]!.end : 0;
  return (
    <div {...order.zoneProps}>
      <ResortNote held={order.held} moved={order.moved} onApply={order.applyNow} testId="consumers-resort" />
      <div ref={scroller} className={styles.scroller}>
        {/* data-rows says whether every row is here (live) or the server's first screen only: tests and benches wait on it */}
        <table className={`data ${styles.table}`} data-testid="consumers-table" data-rows={live ? "live" : "first-screen"}>
          <colgroup>
            {COLUMNS.map((c) => (
              <col key={c.label} style={{ width: c.width }} />
            ))}
          </colgroup>
          <SortableHead columns={COLUMNS} sort={state.sort} dir={state.dir} onSort={onSort} testIdPrefix="sort-" />
          <tbody>
            {count === 0 && <EmptyRow columns={COLUMNS.length}>{empty}</EmptyRow>}
            {padTop > 0 && (
              <tr aria-hidden="true">
                <td colSpan={COLUMNS.length} style={{ height: padTop, padding: 0, border: 0 }} />
              </tr>
            )}
            {/* React keys by consumer, not position: when a sample reorders the table, a row moves with its consumer
                instead of its link turning into another consumer's under the pointer. Not the virtualizer's
                getItemKey: that one it calls for every one of the 10,000 items whenever it is a new function. */}
            {items.map((item) => {
              const c = rows[item.index];
              return c ? (
                <ConsumerTableRow
                  key={consumerRowKey(c)}
                  c={c}
                  unknownSince={unknown?.[consumerRowKey(c)]}
                  zone={zone}
                  kind={classifyConsumer(c, ownStreams)}
                  // only rows with a forecast take the sample's time: the others stay memoized through samples
                  now={c.insight?.loss_brief ? sampledAtMs : undefined}
                />
              ) : (
                <tr key={item.key} style={{ height: ROW_HEIGHT }} />
              );
            })}
            {padBottom > 0 && (
              <tr aria-hidden="true">
                <td colSpan={COLUMNS.length} style={{ height: padBottom, padding: 0, border: 0 }} />
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** Memoized: a patch replaces only the rows that changed, so the rest keep their identity and skip rendering. */
const ConsumerTableRow = memo(function ConsumerTableRow({
  c,
  kind,
  now,
  unknownSince,
  zone,
}: {
  c: ConsumerRow;
  /** Internal rows (busdeck's own) never show alarm colours; ephemeral ones do, as they count in the totals. */
  kind: ConsumerKind;
  now: number | undefined;
  /** Set while the consumer's leader does not answer: the row is its last good reading, greyed. */
  unknownSince: string | undefined;
  zone: DisplayZone;
}) {
  const i = c.insight;
  const own = kind === "internal";
  // red exactly when the drain column says never on a bus consumer that is not OK: otherwise it is noise, not news
  const slow = !own && !unknownSince && drainIsAlarming(i);
  const since = unknownSince && formatUtcTime(unknownSince, zone);
  return (
    <tr data-testid={`consumer-row-${c.name}`} className={unknownSince ? styles.unknownRow : undefined} data-unknown-since={unknownSince}>
      <td>
        {since ? (
          <StatusPill
            tone="warn"
            label="UNKNOWN"
            title={`unknown since ${since}: its leader did not answer; the figures are its last good reading`}
            testId="consumer-status"
          />
        ) : (
          <HealthPill verdict={i?.health} own={own} testId="consumer-status" />
        )}
      </td>
      <td className={styles.nameCell} title={i ? `${i.health.rule}: ${i.health.evidence}` : undefined}>
        {/* first, so a long (oc_…) name cannot cut it off */}
        <KindTag kind={kind} testId="consumer-kind" leading />
        {/* no prefetch: every scroll would render a few dozen detail pages on the server */}
        <Link href={links.consumer(c.stream, c.name)} prefetch={false}>
          {c.name}
        </Link>
        <span className={styles.sub}>
          {/* first, so a long stream name cannot cut it off */}
          {since && <span data-testid="consumer-unknown-since">unknown since {since} · </span>}
          {c.stream}
        </span>
      </td>
      <td className="num" data-testid="consumer-lag">
        {formatCount(lagMessages(c))}
      </td>
      <td
        className="num"
        data-testid="consumer-lag-seconds"
        title={i?.lag_seconds_source === "interpolated" ? "interpolated from stream samples" : undefined}
      >
        {lagSecondsText(c)}
      </td>
      <td className="num">
        {formatCount(c.num_ack_pending)}
        {c.config.max_ack_pending > 0 && c.num_ack_pending >= c.config.max_ack_pending ? " ⚑" : ""}
      </td>
      <td className="num">{formatCount(c.num_redelivered)}</td>
      <td className={`num ${styles.rateCell} ${slow ? styles.rateSlow : ""}`}>
        {formatRate(i?.consume_per_s, "")} / {formatRate(i?.ingest_per_s)}
      </td>
      <td className={`num ${slow ? styles.never : ""}`} data-testid="consumer-drain">
        {i ? formatDrain(i.drain) : "—"}
      </td>
      <LossCell c={c} now={now} own={own} />
      <td>
        <Sparkline values={i?.spark ?? []} status={i?.health.status} />
      </td>
    </tr>
  );
});

/** The loss forecast, compact: red when messages were lost, amber when an eviction or refusal is within the hour. */
function LossCell({ c, now, own }: { c: ConsumerRow; now: number | undefined; own: boolean }) {
  const brief = c.insight?.loss_brief;
  if (!brief || now === undefined || !Number.isFinite(now)) {
    return (
      <td className="num muted" data-testid="consumer-loss">
        —
      </td>
    );
  }
  const tone = own ? "" : lossTone(brief, now) === "bad" ? styles.never : lossTone(brief, now) === "warn" ? "warn-text" : "";
  const title = `${brief.limit ? `${brief.limit}: ` : ""}${lossBriefText(brief, c.config.filter_subjects.length > 0, now)}`;
  return (
    <td className={`num ${tone}`} data-testid="consumer-loss" data-loss-kind={brief.kind} title={title}>
      {lossBriefText(brief, c.config.filter_subjects.length > 0, now)}
    </td>
  );
}
