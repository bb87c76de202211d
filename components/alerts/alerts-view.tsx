"use client";
import { useLiveTopic } from "@/components/live/use-live-events";
import { useIsOperator } from "@/components/shell/role";
import { useDisplayZone } from "@/components/ui/display-zone";
import { useNow } from "@/components/ui/use-now";
import { formatCount } from "@/lib/format";
import { isActiveSilence } from "@/lib/alerts/silences";
import { AlertTargets } from "./alert-targets";
import { DeliveryLog } from "./delivery-log";
import { SilenceForm } from "./silence-form";
import { SilencesTable } from "./silences-table";
import { useOpenFindings } from "./use-alerts";

/** Where findings are alerted, what went out and how it went, and what is muted. */
export function AlertsView() {
  const zone = useDisplayZone();
  const now = useNow(5_000);
  const alerts = useLiveTopic("alerts").data;
  const operator = useIsOperator();
  const openFindings = useOpenFindings();
  const silences = alerts?.silences ?? [];
  const active = silences.filter((s) => isActiveSilence(s, now)).length;

  return (
    <>
      <div className="page-head">
        <h1>Alerts</h1>
        <span className="sub">findings sent to on-call by the elected sampler, once per opening and resolve</span>
      </div>
      <AlertTargets targets={alerts?.targets ?? []} />
      <section className="panel" aria-labelledby="silences-title">
        <h2 id="silences-title">
          Silences <span className="muted tabular">· {formatCount(active)} active</span>
        </h2>
        {operator ? (
          <SilenceForm openFindings={openFindings.data?.findings ?? []} />
        ) : (
          <p className="muted">Adding and expiring silences needs the operator role.</p>
        )}
        <SilencesTable silences={silences} now={now} zone={zone} operator={operator} />
      </section>
      <section className="panel" aria-labelledby="deliveries-title">
        <h2 id="deliveries-title">
          Delivery log <span className="muted tabular">· last {formatCount(alerts?.deliveries.length ?? 0)}</span>
        </h2>
        <DeliveryLog deliveries={alerts?.deliveries ?? []} zone={zone} />
      </section>
    </>
  );
}
