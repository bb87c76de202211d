/**
 * "Where does this subject go?": the streams that capture a subject, the consumers whose filters match it, and
 * the core subscribers interested in it, from what busdeck already holds (the streams and consumers samples)
 * and the servers' subscription lists (CONNZ with subscription detail). Pure: the server hands the readings in.
 */
import { z } from "zod";
import type { ConsumerSummary } from "../consumers/types";
import { lagMessages } from "../consumers/types";
import type { HealthVerdict } from "../consumers/health";
import type { StreamSummary } from "../streams/types";
import { count, parseEnvelopeWith, parseWith, total, type ServerInfo } from "./replies";
import { toSearchString } from "../view/search";
import { filterCovers, subjectsOverlap, tokensOf, type Subject } from "./subjects";
import { classifyConnection } from "../own-resources";

// ---------------------------------------------------------------------------------------------------------
// The Subjects page's URL state: the subject asked about (links.busSubjects builds the same URL).

export interface SubjectsViewState {
  subject: string;
}

export const parseSubjectsViewState = (p: URLSearchParams): SubjectsViewState => ({ subject: p.get("subject") ?? "" });

export function subjectsViewStateToSearch(s: SubjectsViewState): string {
  const q = new URLSearchParams();
  if (s.subject) q.set("subject", s.subject);
  return toSearchString(q);
}

// ---------------------------------------------------------------------------------------------------------
// The servers' subscription lists: CONNZ with subscription detail, bounded per server.

/** Connections read per server for their subscriptions, those with the most subscriptions first. */
export const SUBSCRIBER_CONNZ_LIMIT = 1_000;

/** Matching subscriptions listed in one answer; the rest are counted. */
export const MAX_LISTED_SUBSCRIPTIONS = 500;

const subscriptionSchema = z.object({ subject: z.string(), qgroup: z.string().optional(), msgs: total.optional() });

export const subscriptionsConnzSchema = z.object({
  server_id: z.string(),
  total: count.optional(),
  num_connections: count,
  connections: z
    .array(
      z.object({
        cid: count,
        name: z.string().optional(),
        account: z.string().optional(),
        subscriptions_list_detail: z.array(subscriptionSchema).nullish(),
      }),
    )
    .max(SUBSCRIBER_CONNZ_LIMIT)
    .nullish(),
});

export type SubscriptionsConnz = z.infer<typeof subscriptionsConnzSchema>;

/** The request over the system account (`$SYS.REQ.SERVER.PING.CONNZ`): open connections, their subscriptions in detail. */
export const SUBSCRIBERS_CONNZ_REQUEST = {
  state: 0,
  subscriptions: true,
  subscriptions_detail: true,
  sort: "subs",
  limit: SUBSCRIBER_CONNZ_LIMIT,
  auth: true,
} as const;

/** The same request as an HTTP monitoring query string. */
export const SUBSCRIBERS_CONNZ_QUERY = `?state=open&subs=detail&sort=subs&limit=${SUBSCRIBER_CONNZ_LIMIT}&auth=true`;

export type ParsedSubscriptionsConnz = { ok: true; data: SubscriptionsConnz } | { ok: false; error: string };

export const parseSubscriptionsConnz = (json: unknown): ParsedSubscriptionsConnz =>
  parseWith(subscriptionsConnzSchema, "connz subscriptions", json);

export const parseSubscriptionsConnzEnvelope = (json: unknown): ({ server: ServerInfo } & ParsedSubscriptionsConnz) | null =>
  parseEnvelopeWith(subscriptionsConnzSchema, "connz subscriptions", json);

/** One server's subscription list as read, or why it could not be. */
export interface ObservedSubscriptions {
  server: string;
  connz?: SubscriptionsConnz;
  error?: string;
}

/** Every server's subscription lists; `configure` says what busdeck needs when it has no way to read them. */
export interface SubscriptionsReading {
  source: "system" | "monitor" | null;
  servers: ObservedSubscriptions[];
  /** The account busdeck's own connection is in: subjects are per account, so only its subscribers are listed. */
  account: string | null;
  configure?: string;
  error?: string;
}

// ---------------------------------------------------------------------------------------------------------
// The answer.

export interface RouteStream {
  name: string;
  /** Its subject filters that overlap the subject; empty for a stream reached as a mirror or source. */
  filters: string[];
  /** A filter captures every subject the question names (always, for a literal subject). */
  covers: boolean;
  /** Reached by copying another capturing stream, not by its own filters. */
  via: { kind: "mirror" | "source"; stream: string } | null;
  /** The stream's ingest rate over all its subjects (streams sampler); null before two samples. */
  msgs_per_s: number | null;
}

export interface RouteConsumer {
  stream: string;
  name: string;
  /** Its filters that overlap the subject; empty: it has none and takes its whole stream. */
  filters: string[];
  lag_messages: number;
  lag_seconds: number | null;
  health: HealthVerdict | null;
  /** The consumer list missed it since then: its figures are the last good reading. */
  unknown_since: string | null;
}

export interface RouteSubscription {
  subject: string;
  queue: string | null;
  msgs: number;
}

export interface RouteSubscriber {
  server: string;
  cid: number;
  name: string | null;
  account: string | null;
  subscriptions: RouteSubscription[];
}

export interface SubjectRoute {
  subject: string;
  wildcard: boolean;
  streams: RouteStream[];
  consumers: RouteConsumer[];
  subscribers: {
    source: SubscriptionsReading["source"];
    account: string | null;
    configure: string | null;
    connections: RouteSubscriber[];
    /** Matching subscriptions in all; a message goes to each plain one and to one member of each queue group. */
    subscriptions: number;
    /** Matching subscriptions beyond MAX_LISTED_SUBSCRIPTIONS: counted, not listed (a `>` question on a busy bus). */
    unlisted: number;
    /** Matching subscriptions of busdeck's own connections (its subject tap on `>`, its feeds): not receivers of the application's, counted apart. */
    own: number;
    queue_groups: string[];
    /** Servers with more connections than were read (SUBSCRIBER_CONNZ_LIMIT): their list may miss some. */
    truncated: string[];
    errors: string[];
  };
  /** The live rate: the first capturing stream's ingest rate, over all that stream's subjects. */
  rate: { msgs_per_s: number; stream: string; source: "streams sampler" } | null;
  /** When the streams and consumers were sampled; null before the first sample. */
  sampled_at: string | null;
}

export interface SubjectRouteInputs {
  subject: Subject;
  streams: readonly StreamSummary[];
  streamsSampledAt: string | null;
  consumers: readonly ConsumerSummary[];
  subscriptions: SubscriptionsReading;
}

export function answerSubjectRoute(inputs: SubjectRouteInputs): SubjectRoute {
  const streams = routeStreams(inputs.subject, inputs.streams);
  const reached = new Set(streams.map((s) => s.name));
  const consumers = inputs.consumers.filter((c) => reached.has(c.stream)).flatMap((c) => routeConsumer(inputs.subject, c) ?? []);
  const rated = streams.find((s) => s.via === null && s.msgs_per_s !== null);
  return {
    subject: inputs.subject.text,
    wildcard: inputs.subject.wildcard,
    streams,
    consumers,
    subscribers: routeSubscribers(inputs.subject, inputs.subscriptions),
    rate: rated ? { msgs_per_s: rated.msgs_per_s!, stream: rated.name, source: "streams sampler" } : null,
    sampled_at: inputs.streamsSampledAt,
  };
}

/** The capturing streams, then the streams that mirror or source one of them (transitively), each once. */
export function routeStreams(subject: Subject, streams: readonly StreamSummary[]): RouteStream[] {
  const out: RouteStream[] = [];
  const reached = new Set<string>();
  for (const s of streams) {
    const filters = s.config.subjects.filter((f) => subjectsOverlap(subject.tokens, tokensOf(f)));
    if (filters.length === 0) continue;
    const covers = filters.some((f) => filterCovers(tokensOf(f), subject.tokens));
    out.push({ name: s.name, filters, covers, via: null, msgs_per_s: s.rates?.msgs_per_s ?? null });
    reached.add(s.name);
  }
  // Each pass adds the copies of what was reached; a stream is added once, so at most one pass per stream.
  for (let i = 0; i < out.length; i++) {
    const origin = out[i]!;
    for (const s of streams) {
      if (reached.has(s.name)) continue;
      const kind = s.config.mirror === origin.name ? "mirror" : s.config.sources.includes(origin.name) ? "source" : null;
      if (!kind) continue;
      out.push({
        name: s.name,
        filters: [],
        covers: origin.covers,
        via: { kind, stream: origin.name },
        msgs_per_s: s.rates?.msgs_per_s ?? null,
      });
      reached.add(s.name);
    }
  }
  return out;
}

function routeConsumer(subject: Subject, c: ConsumerSummary): RouteConsumer | null {
  const all = c.config.filter_subjects;
  const filters = all.filter((f) => subjectsOverlap(subject.tokens, tokensOf(f)));
  if (all.length > 0 && filters.length === 0) return null;
  return {
    stream: c.stream,
    name: c.name,
    filters,
    lag_messages: lagMessages(c),
    lag_seconds: c.insight?.lag_seconds ?? null,
    health: c.insight?.health ?? null,
    unknown_since: c.unknown_since ?? null,
  };
}

function routeSubscribers(subject: Subject, reading: SubscriptionsReading): SubjectRoute["subscribers"] {
  const connections: RouteSubscriber[] = [];
  const groups = new Set<string>();
  let subscriptions = 0;
  let listed = 0;
  let own = 0;
  for (const { server, connz } of reading.servers) {
    for (const conn of connz?.connections ?? []) {
      if (reading.account && conn.account && conn.account !== reading.account) continue;
      const matching = (conn.subscriptions_list_detail ?? []).filter((s) => subjectsOverlap(subject.tokens, tokensOf(s.subject)));
      if (matching.length === 0) continue;
      if (classifyConnection(conn.name || null) === "internal") {
        own += matching.length;
        continue;
      }
      subscriptions += matching.length;
      for (const s of matching) if (s.qgroup) groups.add(s.qgroup);
      const room = MAX_LISTED_SUBSCRIPTIONS - listed;
      if (room <= 0) continue;
      listed += Math.min(room, matching.length);
      connections.push({
        server,
        cid: conn.cid,
        name: conn.name || null,
        account: conn.account ?? null,
        subscriptions: matching.slice(0, room).map((s) => ({ subject: s.subject, queue: s.qgroup || null, msgs: s.msgs ?? 0 })),
      });
    }
  }
  return {
    source: reading.source,
    account: reading.account,
    configure: reading.configure ?? null,
    connections,
    subscriptions,
    unlisted: subscriptions - listed,
    own,
    queue_groups: [...groups].sort(),
    truncated: reading.servers.filter((s) => s.connz && (s.connz.total ?? 0) > s.connz.num_connections).map((s) => s.server),
    errors: [...(reading.error ? [reading.error] : []), ...reading.servers.flatMap((s) => (s.error ? [`${s.server}: ${s.error}`] : []))],
  };
}
