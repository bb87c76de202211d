/**
 * The benches' consumer layout: STREAMS streams × PER_STREAM durable explicit-ack pull consumers, a few
 * messages per stream (so lagging consumers have an ack floor to look up), every other consumer filtered.
 */
import type { NatsConnection } from "@nats-io/nats-core";
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } from "@nats-io/jetstream";
import { mapLimit } from "../../server/concurrency";

export interface ConsumerLayout {
  streams: number;
  perStream: number;
  messages: number;
  /** stream name prefix */
  prefix?: string;
  /** Percent of each stream's consumers that start at the first message (lagging); the rest deliver only new ones. Default 100. */
  laggingPct?: number;
}

/** Creates the layout; returns the stream names. */
export async function createConsumerLayout(nc: NatsConnection, layout: ConsumerLayout): Promise<string[]> {
  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc);
  const names = Array.from({ length: layout.streams }, (_, i) => `${layout.prefix ?? "bench"}-${String(i).padStart(3, "0")}`);
  await mapLimit(names, 8, async (name) => {
    await jsm.streams.add({ name, subjects: [`${name}.>`] });
    for (let m = 0; m < layout.messages; m++) await js.publish(`${name}.evt`, `m${m}`);
    for (let c = 0; c < layout.perStream; c++) {
      const lagging = c % 100 < (layout.laggingPct ?? 100);
      await jsm.consumers.add(name, {
        durable_name: `c${String(c).padStart(3, "0")}`,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: lagging ? DeliverPolicy.All : DeliverPolicy.New,
        ...(c % 2 ? { filter_subject: `${name}.evt` } : {}),
      });
    }
  });
  return names;
}
