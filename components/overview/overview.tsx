"use client";
import { StatCard } from "@/components/ui/stat-card";
import { useLiveTopic } from "@/components/live/use-live-events";
import { lagMessages } from "@/lib/consumers/types";
import { formatCount } from "@/lib/format";
import { links } from "@/lib/links";
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
        <StatCard
          link={{ href: links.streams() }}
          label="Streams"
          value={formatCount(streams ? busStreams(streams.streams, streams.own_streams).length : 0)}
          testId="overview-streams"
        />
        <StatCard
          link={{ href: links.consumers() }}
          label="Consumer lag (msgs)"
          value={formatCount(totalLag)}
          sub={`${formatCount(consumers?.length ?? 0)} consumers`}
        />
        <StatCard
          link={{ href: links.outcomes() }}
          label="Reflex outcomes"
          value={formatCount(outcomes?.total ?? 0)}
          sub={`${formatCount(errored)} errored`}
        />
        <StatCard link={{ href: links.failover() }} label="Singleton locks" value={formatCount(locks?.locks.length ?? 0)} />
      </div>
    </>
  );
}
