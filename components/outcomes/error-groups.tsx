"use client";
import Link from "@/components/ui/range-link";
import { memo, type ReactNode } from "react";
import { formatAge, formatCount, formatUtc } from "@/lib/format";
import { links } from "@/lib/links";
import type { ErrorGroup } from "@/lib/outcomes/outcome";
import { MAX_EXAMPLES } from "@/lib/outcomes/fingerprint";
import { ResortNote } from "@/components/ui/resort-note";
import { useHeldOrder } from "@/components/ui/use-held-order";
import styles from "./outcomes.module.css";
import { useDisplayZone } from "@/components/ui/display-zone";
import { EmptyRow } from "@/components/ui/empty-row";

const groupKey = (g: ErrorGroup) => g.key;
/** The minute a group was first seen: its page's range when the table is live (it may predate the default hour). */
const sinceFirstSeen = (g: ErrorGroup) => new Date(Math.floor(Date.parse(g.first_seen) / 60_000) * 60_000).toISOString();

/**
 * The panel on-call opens first: which handler raises what, how often, since when. The exception opens the
 * group's page; a row filters the feed to that group; "latest" opens the newest one's traceback and event.
 */
export const ErrorGroups = memo(function ErrorGroups({
  groups,
  now,
  selected,
  onSelect,
  actions,
  scope,
  live,
}: {
  /** The live summary (no range picked): a group's page then opens from the minute it was first seen. */
  live: boolean;
  groups: ErrorGroup[];
  /** What the groups cover: "in this range" or "live since …". */
  scope: string;
  now: number;
  /** The group the feed is filtered to, if any. */
  selected?: { handler?: string; exception?: string };
  /** A row's click (filters the view's feed); without it only the row's links act. */
  onSelect?: (g: ErrorGroup) => void;
  actions?: ReactNode;
}) {
  const zone = useDisplayZone();
  // Rows stay put while the pointer or keyboard focus is on the table; counts and times still update.
  const order = useHeldOrder(groups, groupKey, "still-firing-first");
  return (
    <section className={styles.section} data-testid="error-groups" {...order.zoneProps}>
      <div className={styles.sectionHead}>
        <h2>Error groups</h2>
        <span className="hint">
          errored outcomes by handler and exception, ids and values grouped, {scope} · {formatCount(groups.length)} groups · still firing
          first
        </span>
        {actions}
      </div>
      <ResortNote held={order.held} moved={order.moved} onApply={order.applyNow} testId="error-groups-resort" />
      <div className={styles.groupsWrap}>
        <table className={`data ${styles.groups}`}>
          <colgroup>
            <col style={{ width: 140 }} />
            <col />
            <col style={{ width: 90 }} />
            <col style={{ width: 80 }} />
            <col style={{ width: 190 }} />
            <col style={{ width: 190 }} />
            <col style={{ width: 70 }} />
          </colgroup>
          <thead>
            <tr>
              <th>Handler</th>
              <th>Exception (grouped)</th>
              <th className="num" title="Distinct values in the variable parts (a handful are kept)">
                Variants
              </th>
              <th className="num">Count</th>
              <th>First seen</th>
              <th>Last seen</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {order.rows.map((g) => (
              <tr
                key={g.key}
                data-testid="error-group-row"
                className={selected?.handler === g.handler_id && selected.exception === g.exception ? styles.groupActive : undefined}
                onClick={onSelect ? () => onSelect(g) : undefined}
                title={onSelect ? "Show this group's outcomes in the feed" : undefined}
              >
                <td>{g.handler_id}</td>
                <td className={styles.exception} title={`${g.exception}\nlatest: ${g.sample}`}>
                  <Link
                    href={links.errorGroup(g.handler_id, g.id, live ? { from: sinceFirstSeen(g) } : undefined)}
                    prefetch={false}
                    onClick={(e) => e.stopPropagation()}
                    data-testid="error-group-link"
                  >
                    {g.exception}
                  </Link>
                </td>
                <td className="num" data-testid="error-group-variants">
                  {formatCount(g.examples.length)}
                  {g.examples.length >= MAX_EXAMPLES ? "+" : ""}
                </td>
                <td className="num" data-testid="error-group-count">
                  {formatCount(g.count)}
                </td>
                <td className="tabular">{formatUtc(g.first_seen, zone)}</td>
                <td className="tabular" title={formatAge(g.last_seen, now)}>
                  {formatUtc(g.last_seen, zone)}
                </td>
                <td>
                  {/* No prefetch: the latest outcome changes with every new error, a new prefetch each redraw. */}
                  <Link
                    href={links.outcome(g.last_id)}
                    prefetch={false}
                    onClick={(e) => e.stopPropagation()}
                    data-testid="error-group-latest"
                  >
                    latest →
                  </Link>
                </td>
              </tr>
            ))}
            {groups.length === 0 && <EmptyRow columns={7}>No errored outcomes {scope}.</EmptyRow>}
          </tbody>
        </table>
      </div>
    </section>
  );
});
