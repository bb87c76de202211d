"use client";
import Link from "@/components/ui/range-link";
import { useLiveTopic } from "@/components/live/use-live-events";
import { useConsumerDetail, useConsumerHistory } from "@/components/consumers/use-consumer-history";
import { StatusPill, type Tone } from "@/components/ui/status-pill";
import { formatCount, formatDuration } from "@/lib/format";
import { links } from "@/lib/links";
import { messageDelivery, type MessageDeliveryState } from "@/lib/streams/message-delivery";
import { KeyValueList } from "@/components/ui/key-value-list";

const STATE_TONE: Record<MessageDeliveryState, Tone> = {
  dead_lettered: "bad",
  terminated: "bad",
  acked: "ok",
  pending_ack: "warn",
  not_delivered: "neutral",
};

/** The consumer this message page was reached from: where the message stands for it, and why. */
export function MessageConsumerPanel({ stream, seq, consumer }: { stream: string; seq: number; consumer: string }) {
  const live = useLiveTopic("consumer_rows").data;
  const row = live?.items.find((x) => x.stream === stream && x.name === consumer);
  const c = useConsumerDetail(stream, consumer, row).data;
  // The longest range: the advisories about this message may be hours old.
  const advisories = useConsumerHistory(stream, consumer, "24h", row).data?.dead_letters;
  const name = (
    <Link className="text-link" href={links.consumer(stream, consumer)} data-testid="message-consumer-link">
      {consumer}
    </Link>
  );
  if (!c || !advisories) {
    const waiting = live === undefined || live === null || live.meta.status === "initializing" || row !== undefined;
    return (
      <section className="panel" data-testid="message-consumer">
        <h2>Consumer {name}</h2>
        <p className="muted" style={{ margin: 0 }}>
          {waiting ? "Loading…" : `No consumer "${consumer}" on stream "${stream}" in the latest sample.`}
        </p>
      </section>
    );
  }
  const d = messageDelivery(seq, c, advisories);
  const deliveries = d.deliveries === null ? "—" : `${d.deliveries.at_least ? "≥ " : ""}${formatCount(d.deliveries.count)}`;
  return (
    <section className="panel" data-testid="message-consumer">
      <h2>
        Consumer {name} <StatusPill tone={STATE_TONE[d.state]} label={d.label} testId="message-consumer-status" />
      </h2>
      <p style={{ margin: "0 0 8px" }} data-testid="message-consumer-reason">
        {d.reason}
      </p>
      <KeyValueList
        rows={[
          { label: "Deliveries", value: deliveries, testId: "message-consumer-deliveries" },
          {
            label: "Max deliver",
            value: `${c.config.max_deliver > 0 ? formatCount(c.config.max_deliver) : "unlimited"} · ack wait ${formatDuration(c.config.ack_wait_ms)}`,
          },
          {
            label: "Ack floor / delivered",
            value: `stream #${formatCount(c.ack_floor.stream_seq)} / #${formatCount(c.delivered.stream_seq)}`,
          },
          { label: "Unacked / redelivered", value: `${formatCount(c.num_ack_pending)} / ${formatCount(c.num_redelivered)}` },
        ]}
      />
    </section>
  );
}
