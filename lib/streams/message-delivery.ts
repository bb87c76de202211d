/** Where one stream message stands for one consumer, from the consumer's info and the advisories busdeck kept. Pure. */
import type { DeadLetterEntry } from "../consumers/series";
import type { ConsumerBase } from "../consumers/types";
import { formatCount } from "../format";

export type MessageDeliveryState = "dead_lettered" | "terminated" | "acked" | "pending_ack" | "not_delivered";

export interface MessageDelivery {
  state: MessageDeliveryState;
  /** Short status label, shown beside its colour. */
  label: string;
  /** Deliveries so far when known: exactly, or as a lower bound. */
  deliveries: { count: number; at_least: boolean } | null;
  /** One line saying why the message stands where it does. */
  reason: string;
}

type ConsumerPosition = Pick<ConsumerBase, "num_ack_pending" | "num_redelivered" | "delivered" | "ack_floor" | "config">;

/** The newest advisory about this message (the history lists newest first). */
const latestAbout = (seq: number, advisories: readonly DeadLetterEntry[], kinds: DeadLetterEntry["kind"][]) =>
  advisories.find((a) => a.stream_seq === seq && kinds.includes(a.kind));

const times = (n: number) => (n === 1 ? "once" : `${formatCount(n)} times`);
const deliveriesText = (n: number) => `${formatCount(n)} ${n === 1 ? "delivery" : "deliveries"}`;

export function messageDelivery(seq: number, c: ConsumerPosition, advisories: readonly DeadLetterEntry[]): MessageDelivery {
  // An advisory beats the ack floor: the server moves the floor past a message it gave up on.
  const given_up = latestAbout(seq, advisories, ["max_deliveries", "terminated"]);
  if (given_up) return gaveUp(given_up, c.config.max_deliver);
  if (seq <= c.ack_floor.stream_seq) {
    const how =
      c.config.ack_policy === "none"
        ? "delivered with ack policy none"
        : `at or below the ack floor #${formatCount(c.ack_floor.stream_seq)}`;
    return { state: "acked", label: "acked", deliveries: null, reason: `Done for this consumer: ${how}.` };
  }
  if (seq > c.delivered.stream_seq)
    return {
      state: "not_delivered",
      label: "pending",
      deliveries: { count: 0, at_least: false },
      reason: `Not delivered yet: the consumer has delivered up to #${formatCount(c.delivered.stream_seq)}.`,
    };
  return pendingAck(seq, c, advisories);
}

function gaveUp(a: DeadLetterEntry, maxDeliver: number): MessageDelivery {
  const deliveries = a.deliveries === null ? null : { count: a.deliveries, at_least: false };
  const after = a.deliveries === null ? "" : ` after ${deliveriesText(a.deliveries)}`;
  if (a.kind === "terminated")
    return {
      state: "terminated",
      label: "terminated",
      deliveries,
      reason: `The handler terminated it${after}: the consumer will not deliver it again.`,
    };
  const limit = maxDeliver > 0 ? ` (${formatCount(maxDeliver)})` : "";
  return {
    state: "dead_lettered",
    label: "dead-lettered",
    deliveries,
    reason: `Past max_deliver${limit}: dead-lettered${after}, the consumer will not deliver it again.`,
  };
}

/** Delivered but not acked. num_redelivered counts the unacked messages delivered more than once. */
function pendingAck(seq: number, c: ConsumerPosition, advisories: readonly DeadLetterEntry[]): MessageDelivery {
  const nak = latestAbout(seq, advisories, ["naked"]);
  if (nak?.deliveries != null) {
    return {
      state: "pending_ack",
      label: `redelivered ${times(nak.deliveries)}`,
      deliveries: { count: nak.deliveries + 1, at_least: true },
      reason: `Pending ack: NAKed on delivery ${formatCount(nak.deliveries)}, so delivered again.`,
    };
  }
  if (c.num_redelivered === 0)
    return {
      state: "pending_ack",
      label: "pending ack",
      deliveries: { count: 1, at_least: false },
      reason: "Pending ack: delivered once, not acked yet (no unacked message of this consumer was redelivered).",
    };
  if (c.num_redelivered >= c.num_ack_pending)
    return {
      state: "pending_ack",
      label: "redelivered",
      deliveries: { count: 2, at_least: true },
      reason: `Pending ack: redelivered — all ${formatCount(c.num_ack_pending)} unacked messages of this consumer were.`,
    };
  return {
    state: "pending_ack",
    label: "pending ack",
    deliveries: { count: 1, at_least: true },
    reason: `Pending ack: ${formatCount(c.num_redelivered)} of this consumer's ${formatCount(c.num_ack_pending)} unacked messages were redelivered; which ones the server does not say.`,
  };
}
