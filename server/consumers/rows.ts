/**
 * Keeps the pages' `consumer_rows` topic in step with the full `consumers` snapshot: whoever publishes the
 * snapshot — this replica's sampler, or the elected sampler's fan-out on the others (server/fleet/) — the rows
 * follow in the same call, and the hub sends browsers only the rows that changed.
 */
import "server-only";
import { unknownSinceByKey } from "../../lib/consumers/provenance";
import { previousByPosition, sampleTimeParser, toConsumerRow } from "../../lib/consumers/types";
import type { Hub } from "../hub/hub";

/** `ownStreams`: busdeck's own streams (lib/own-resources.ts), named in the rows' envelope for the views' totals. */
export function deriveConsumerRows(hub: Hub, ownStreams: readonly string[] = []): () => void {
  const own_streams = [...ownStreams];
  return hub.onChange((topic) => {
    if (topic !== "consumers") return;
    const snap = hub.getState("consumers");
    if (!snap) return;
    const { consumers, ...meta } = snap;
    const before = previousByPosition(hub.getState("consumer_rows")?.items);
    const sampledAtMs = sampleTimeParser();
    // a row stays its consumer's last good reading while unknown; the envelope says which ones those are
    const unknown = unknownSinceByKey(consumers);
    hub.publishState("consumer_rows", {
      meta: { ...meta, own_streams, ...(unknown ? { unknown } : {}) },
      items: consumers.map((c, k) => toConsumerRow(c, before(k, c.stream, c.name), sampledAtMs(c.sampled_at))),
    });
  });
}
