/** The overview's first screen: what the server renders in the HTML before the live stream takes over. Pure. */
import { lagMessages, type ConsumerRow, type ConsumerRowsMeta } from "../consumers/types";
import type { LocksSnapshot } from "../failover/locks";
import type { OutcomeStats } from "../outcomes/outcome";
import { formatAgo } from "../format";
import { SNAPSHOT_STALE_AFTER_MS } from "../view/freshness";
import { busStreams, isOwnKvBucket, withoutOwn } from "../own-resources";
import type { StreamsSnapshot } from "../streams/types";
import type { FindingsSnapshot } from "./finding";
import type { TimelineEvent } from "./triage";

/** The four views' health at a glance: the counts the overview's cards show. */
export interface ViewsHealth {
  streams: number;
  consumers: number;
  lag_msgs: number;
  outcomes: number;
  errored: number;
  locks: number;
}

export interface ViewsHealthInputs {
  streams?: StreamsSnapshot | null;
  rows?: { meta: ConsumerRowsMeta; items: ConsumerRow[] } | null;
  outcomes?: OutcomeStats | null;
  locks?: LocksSnapshot | null;
}

/**
 * Counts of the bus's own resources: busdeck's streams, their consumers and its sampler lock are not the bus's
 * (lib/own-resources.ts). Handlers and outcomes are the bus's services alone: busdeck publishes none.
 */
export function viewsHealth({ streams, rows, outcomes, locks }: ViewsHealthInputs): ViewsHealth {
  const consumers = rows ? withoutOwn(rows.items, rows.meta.own_streams) : [];
  const own = streams?.own_streams ?? rows?.meta.own_streams ?? [];
  return {
    streams: streams ? busStreams(streams.streams, streams.own_streams).length : 0,
    consumers: consumers.length,
    lag_msgs: consumers.reduce((n, c) => n + lagMessages(c), 0),
    outcomes: outcomes?.total ?? 0,
    errored: Object.values(outcomes?.handlers ?? {}).reduce((n, h) => n + h.errored, 0),
    locks: (locks?.locks ?? []).filter((l) => !isOwnKvBucket(l.bucket, own)).length,
  };
}

/** How fresh the findings' judgement is: "evaluated just now", "evaluated 12s ago"; stale past the snapshot limit. */
export function evaluatedText(
  evaluatedAt: string | null,
  now: number,
  staleAfterMs = SNAPSHOT_STALE_AFTER_MS,
): { text: string; stale: boolean } {
  const at = Date.parse(evaluatedAt ?? "");
  if (Number.isNaN(at)) return { text: "not evaluated yet", stale: true };
  return { text: `evaluated ${formatAgo(now - at)}`, stale: now - at > staleAfterMs };
}

export interface OverviewFirstScreen {
  findings: FindingsSnapshot;
  /** Findings opened and resolved in the timeline's window, as the findings service remembers them (the newest, capped). */
  history: TimelineEvent[];
  health: ViewsHealth;
  /** The server's clock at render: ages and the timeline read as of it until the page hydrates. */
  now: number;
}

/**
 * The newer of two findings snapshots by evaluation time (the first on a tie or when neither was evaluated): the
 * browser's cached copy may be older than the server's render when the page was left and came back to.
 */
export function newerFindings(a: FindingsSnapshot | null | undefined, b: FindingsSnapshot | null | undefined): FindingsSnapshot | null {
  if (!a || !b) return a ?? b ?? null;
  const at = (s: FindingsSnapshot) => Date.parse(s.evaluated_at ?? "") || 0;
  return at(b) > at(a) ? b : a;
}
