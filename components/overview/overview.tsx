"use client";
import Link from "@/components/ui/range-link";
import { useLiveTopic } from "@/components/live/use-live-events";
import { lagMessages } from "@/lib/consumers/types";
import { formatCount } from "@/lib/format";
import { busStreams, withoutOwn } from "@/lib/own-resources";

export function Overview() {
  const streams = useLiveTopic("streams").data;
  const rows = useLiveTopic("consumer_rows").data;
  // busdeck's own consumers are not the bus's lag (lib/own-resources.ts)
  const consumers = rows && withoutOwn(rows.items, rows.meta.own_streams);
  const outcomes = useLiveTopic("outcome_stats").data;
  const locks = useLiveTopic("locks").data;
  const totalLag = (consumers ?? []).reduce((n, c) => n + lagMessages(c), 0);
  const errored = Object.values(outcomes?.handlers ?? {}).reduce((n, h) => n + h.errored, 0);
  return (
    <>
      <div className="page-head">
        <h1>Overview</h1>
      </div>
      <div className="grid grid-4">
        <Link className="stat" href="/streams">
          <div className="label">Streams</div>
          <div className="value" data-testid="overview-streams">
            {formatCount(streams ? busStreams(streams.streams, streams.own_streams).length : 0)}
          </div>
        </Link>
        <Link className="stat" href="/consumers">
          <div className="label">Consumer lag (msgs)</div>
          <div className="value">{formatCount(totalLag)}</div>
          <div className="muted">{formatCount(consumers?.length ?? 0)} consumers</div>
        </Link>
        <Link className="stat" href="/outcomes">
          <div className="label">Reflex outcomes</div>
          <div className="value">{formatCount(outcomes?.total ?? 0)}</div>
          <div className="muted">{formatCount(errored)} errored</div>
        </Link>
        <Link className="stat" href="/failover">
          <div className="label">Singleton locks</div>
          <div className="value">{formatCount(locks?.locks.length ?? 0)}</div>
        </Link>
      </div>
    </>
  );
}
