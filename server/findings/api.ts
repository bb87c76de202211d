/** The findings route's service, and the overview's first screen: what the hub's `findings` topic holds. */
import "server-only";
import { emptyFindingsSnapshot, selectFindings, type FindingsQuery } from "../../lib/findings/finding";
import { viewsHealth, type OverviewFirstScreen } from "../../lib/findings/overview";
import { TIMELINE_BUCKET_MS, TIMELINE_WINDOW_MS, recentTimelineEvents } from "../../lib/findings/triage";
import { getRuntime, type Runtime } from "../runtime";

/** The most history events a page carries: a day of a busy bus, without megabytes of HTML on a pathological one. */
const FIRST_SCREEN_HISTORY = 5_000;

export async function listFindings(query: FindingsQuery) {
  const snapshot = (await getRuntime()).hub.getState("findings") ?? emptyFindingsSnapshot();
  return { status: snapshot.status, evaluated_at: snapshot.evaluated_at, findings: selectFindings(snapshot, query.state) };
}

/** The overview as the hub knows it now: findings, the timeline's history and the views' counts (no NATS call). */
export function overviewFirstScreen(rt: Pick<Runtime, "hub" | "findingHistory">, now = Date.now()): OverviewFirstScreen {
  const { hub } = rt;
  const from = now - TIMELINE_WINDOW_MS - TIMELINE_BUCKET_MS;
  return {
    findings: hub.getState("findings") ?? emptyFindingsSnapshot(),
    history: recentTimelineEvents(rt.findingHistory(from), from, FIRST_SCREEN_HISTORY),
    health: viewsHealth({
      streams: hub.getState("streams"),
      rows: hub.getState("consumer_rows"),
      outcomes: hub.getState("outcome_stats"),
      locks: hub.getState("locks"),
    }),
    now,
  };
}
