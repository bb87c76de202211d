import { StatCard } from "@/components/ui/stat-card";
import type { ViewsHealth } from "@/lib/findings/overview";
import { formatCount } from "@/lib/format";
import { links } from "@/lib/links";

/** The four views' health at a glance, each card a link to its view. */
export function ViewsHealthCards({ health }: { health: ViewsHealth | null }) {
  const count = (n: number | undefined) => formatCount(n ?? 0);
  return (
    <div className="grid grid-4">
      <StatCard link={{ href: links.streams() }} size="compact" label="Streams" value={count(health?.streams)} testId="overview-streams" />
      <StatCard
        link={{ href: links.consumers() }}
        size="compact"
        label="Consumer lag (msgs)"
        value={count(health?.lag_msgs)}
        sub={`${count(health?.consumers)} consumers`}
      />
      <StatCard
        link={{ href: links.outcomes() }}
        size="compact"
        label="Reflex outcomes"
        value={count(health?.outcomes)}
        sub={`${count(health?.errored)} errored`}
      />
      <StatCard
        link={{ href: links.failover() }}
        size="compact"
        label="Singleton locks"
        value={count(health?.locks)}
        testId="overview-locks"
      />
    </div>
  );
}
