/** The findings route's service: what the hub's `findings` topic holds, cut to the state asked for. */
import "server-only";
import { emptyFindingsSnapshot, selectFindings, type FindingsQuery } from "../../lib/findings/finding";
import { getRuntime } from "../runtime";

export async function listFindings(query: FindingsQuery) {
  const snapshot = (await getRuntime()).hub.getState("findings") ?? emptyFindingsSnapshot();
  return { status: snapshot.status, evaluated_at: snapshot.evaluated_at, findings: selectFindings(snapshot, query.state) };
}
