/**
 * Listens to the specific JetStream advisories busdeck shows. Never `$JS.EVENT.ADVISORY.>`: every API call,
 * the dashboard's own sampling included, emits an audit advisory there.
 */
import type { NatsConnection } from "@nats-io/nats-core";
import type { Advisory } from "../../lib/consumers/advisories";
import type { LeaderEvent } from "../../lib/failover/timeline";
import type { Hub } from "../hub/hub";

export const ADVISORY_SUBJECTS = [
  "$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.>",
  "$JS.EVENT.ADVISORY.CONSUMER.MSG_NAKED.>",
  "$JS.EVENT.ADVISORY.CONSUMER.MSG_TERMINATED.>",
  "$JS.EVENT.ADVISORY.STREAM.LEADER_ELECTED.>",
  "$JS.EVENT.ADVISORY.CONSUMER.LEADER_ELECTED.>",
  "$JS.EVENT.ADVISORY.STREAM.QUORUM_LOST.>",
  "$JS.EVENT.ADVISORY.CONSUMER.QUORUM_LOST.>",
];

const num = (v: unknown) => (typeof v === "number" ? v : null);
const str = (v: unknown) => (typeof v === "string" ? v : null);

export function parseAdvisory(subject: string, data: Uint8Array, receivedAt: string): Advisory {
  let body: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(new TextDecoder().decode(data));
    if (parsed && typeof parsed === "object") body = parsed as Record<string, unknown>;
  } catch {
    // keep the subject-derived fields; an unreadable advisory still counts
  }
  const leader = body.leader && typeof body.leader === "object" ? str((body.leader as Record<string, unknown>).name) : str(body.leader);
  return {
    type: str(body.type) ?? subject.split(".").slice(3, 5).join(".").toLowerCase(),
    subject,
    stream: str(body.stream),
    consumer: str(body.consumer),
    stream_seq: num(body.stream_seq),
    deliveries: num(body.deliveries),
    leader,
    at: str(body.timestamp) ?? receivedAt,
  };
}

const LEADER_KINDS: [RegExp, LeaderEvent["kind"]][] = [
  [/^\$JS\.EVENT\.ADVISORY\.STREAM\.LEADER_ELECTED\./, "stream_leader"],
  [/^\$JS\.EVENT\.ADVISORY\.CONSUMER\.LEADER_ELECTED\./, "consumer_leader"],
  [/^\$JS\.EVENT\.ADVISORY\.STREAM\.QUORUM_LOST\./, "stream_quorum_lost"],
  [/^\$JS\.EVENT\.ADVISORY\.CONSUMER\.QUORUM_LOST\./, "consumer_quorum_lost"],
];

/** The Failover timeline's view of an advisory: only RAFT leadership changes and quorum losses qualify. */
export function leaderEventFrom(a: Advisory): LeaderEvent | null {
  const kind = LEADER_KINDS.find(([re]) => re.test(a.subject))?.[1];
  if (!kind) return null;
  // The consumer subject is ...LEADER_ELECTED.<stream>.<consumer>; the body names both too.
  return { kind, stream: a.stream, consumer: kind.startsWith("consumer") ? a.consumer : null, leader: a.leader, at: a.at };
}

export interface AdvisorySubscriberOptions {
  /** Leader elections and quorum losses, for the Failover timeline. */
  onLeader?: (e: LeaderEvent) => void;
}

export function startAdvisorySubscriber(nc: NatsConnection, hub: Hub, opts: AdvisorySubscriberOptions = {}): () => void {
  const subs = ADVISORY_SUBJECTS.map((subject) =>
    nc.subscribe(subject, {
      callback: (err, msg) => {
        if (err) return;
        const advisory = parseAdvisory(msg.subject, msg.data, new Date().toISOString());
        hub.appendFeed("advisories", [advisory]);
        const leader = opts.onLeader && leaderEventFrom(advisory);
        if (leader) opts.onLeader!(leader);
      },
    }),
  );
  return () => subs.forEach((s) => s.unsubscribe());
}
