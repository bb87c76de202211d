/**
 * The subject tap: core-NATS subscriptions on the configured subjects (BUSDECK_SUBJECT_TAP) whose callback only
 * counts (lib/bus/subject-tree.ts tallyMessage). Only the elected sampler runs it (server/fleet/ starts and stops it
 * and relays its `bus_subjects` to the other replicas); live tails are per replica (server/bus/subject-tail.ts). A hard budget
 * (BUSDECK_SUBJECT_TAP_MAX_RATE): the callback trips as soon as one interval's messages reach the budget, and the
 * tap narrows or pauses at once (lib/bus/subject-tap.ts), retrying with back-off. Each subscription also carries
 * a server-side delivery limit (UNSUB sid max) re-armed every interval, so even an event loop too busy to run the
 * callback can be sent at most one interval's budget: busdeck is never the bus's slow consumer.
 */
import "server-only";
import type { NatsConnection, Subscription } from "@nats-io/nats-core";
import {
  defaultTapPolicy,
  emptyBusSubjectsSnapshot,
  initialTapControl,
  mergeCandidateRates,
  narrowerFilters,
  tapOverBudget,
  tapTick,
  toBusSubjectsSnapshot,
  type TapControl,
  type TapPolicy,
} from "../../lib/bus/subject-tap";
import { emptyWindow, foldTally, newTally, SUBJECT_CAP, SUBJECT_WINDOW_MS, tallyMessage, windowRates } from "../../lib/bus/subject-tree";
import { describeError } from "../../lib/errors";
import type { Hub } from "../hub/hub";

/** The shortest span a narrowing candidate's rate is measured over. */
const CANDIDATE_MIN_S = 0.1;

export interface SubjectTapOptions {
  nc: NatsConnection;
  hub: Hub;
  subjects: string[];
  maxRate: number;
  offReason: string;
  /** Prefixes of busdeck's own subjects (its inbox, its fan-out), counted as internal. */
  own: string[];
  /** The replica running it, named in its snapshots (the followers show them relayed). */
  tappedBy?: string;
  intervalMs?: number;
  policy?: Partial<TapPolicy>;
  windowMs?: number;
  cap?: number;
  now?: () => number;
  log?: (msg: string) => void;
}

export interface SubjectTap {
  control(): TapControl;
  stop(): void;
}

export function startSubjectTap(opts: SubjectTapOptions): SubjectTap {
  const now = opts.now ?? Date.now;
  const intervalMs = opts.intervalMs ?? 1_000;
  const windowMs = opts.windowMs ?? SUBJECT_WINDOW_MS;
  const cap = opts.cap ?? SUBJECT_CAP;
  const policy: TapPolicy = { ...defaultTapPolicy(opts.maxRate), ...opts.policy };
  const budget = Math.max(1, Math.floor((policy.maxRate * intervalMs) / 1000));
  const own = opts.own;

  let ctl = initialTapControl(opts.subjects, policy, now(), opts.offReason);
  let tally = newTally(cap);
  let window = emptyWindow(windowMs);
  let intervalStart = now();
  /** The budget's count runs from here: the interval's start, or a narrowing within it. */
  let budgetStart = intervalStart;
  let count = 0;
  let tripped = false;
  let stopped = false;
  const subs = new Map<string, { sub: Subscription; counter: { n: number } }>();

  const tappedBy = opts.tappedBy ?? null;
  const publish = () =>
    opts.hub.publishState(
      "bus_subjects",
      toBusSubjectsSnapshot(ctl, windowRates(window, cap), policy.maxRate, now(), windowMs, cap, tappedBy),
    );

  /** Over budget: stop receiving now (synchronously, from the callback), then say so. */
  const trip = () => {
    tripped = true;
    const at = now();
    const seconds = Math.max(1, at - budgetStart) / 1000;
    // One `…>` subject tapped: its next level, from this interval's tally, is what it can narrow to. The
    // candidates' rates are over at least CANDIDATE_MIN_S: a few messages just after a tick are not a rate.
    const only = subs.size === 1 ? [...subs.keys()][0]! : null;
    const counts = [...tally.subjects].map(([subject, t]): [string, number] => [subject, t.msgs]);
    const tallySeconds = Math.max(CANDIDATE_MIN_S * 1000, at - intervalStart) / 1000;
    const below = only
      ? mergeCandidateRates(
          narrowerFilters(only, counts).map((f) => ({ filter: f.filter, msgs_per_s: f.msgs / tallySeconds })),
          // the window's rates as "counts": their sums are the candidates' recent rates
          narrowerFilters(
            only,
            windowRates(window, cap).subjects.map((r): [string, number] => [r.subject, r.msgs_per_s]),
          ).map((f) => ({ filter: f.filter, msgs_per_s: f.msgs })),
        )
      : [];
    const filterSeconds = Math.max(CANDIDATE_MIN_S, seconds);
    const filters = below.length > 1 ? below : [...subs].map(([filter, s]) => ({ filter, msgs_per_s: s.counter.n / filterSeconds }));
    ctl = tapOverBudget(ctl, { msgs_per_s: count / seconds, at, filters }, at, policy);
    apply();
    // The subjects kept go on counting, against a budget that starts again now.
    count = 0;
    budgetStart = at;
    for (const s of subs.values()) s.counter.n = 0;
    tripped = ctl.active.length === 0;
    opts.log?.(`subject tap: ${ctl.reason}; retry in ${Math.round((ctl.retry_at! - at) / 1000)}s`);
    publish();
  };

  const subscribe = (filter: string) => {
    const counter = { n: 0 };
    const sub = opts.nc.subscribe(filter, {
      callback: (err, m) => {
        if (err || tripped) return;
        try {
          count++;
          counter.n++;
          tallyMessage(tally, m.subject, m.data.length, own);
          if (count >= budget) trip();
        } catch (e) {
          // Never into the client's parser: a throw there would break the connection for every other view.
          opts.log?.(`subject tap: ${describeError(e)}`);
        }
      },
    });
    // The server itself stops after this many: at most one interval's budget until the next re-arm.
    sub.unsubscribe(budget);
    subs.set(filter, { sub, counter });
  };

  /** Subscriptions follow ctl.active. */
  const apply = () => {
    for (const [filter, s] of subs)
      if (!ctl.active.includes(filter)) {
        s.sub.unsubscribe();
        subs.delete(filter);
      }
    if (stopped) return;
    for (const filter of ctl.active) if (!subs.has(filter)) subscribe(filter);
  };

  const tick = () => {
    const at = now();
    window = foldTally(window, tally, at, at - intervalStart);
    tally = newTally(cap);
    intervalStart = at;
    budgetStart = at;
    count = 0;
    tripped = false;
    ctl = tapTick(ctl, at, policy);
    apply();
    for (const [filter, s] of subs) {
      // A subscription the server (or the client) closed on reaching its limit is made again.
      if (s.sub.isClosed()) {
        subs.delete(filter);
        subscribe(filter);
      } else s.sub.unsubscribe(s.sub.getReceived() + budget);
      s.counter.n = 0;
    }
    publish();
  };

  opts.hub.publishState("bus_subjects", emptyBusSubjectsSnapshot(ctl, policy.maxRate, tappedBy));
  try {
    apply();
  } catch (err) {
    opts.log?.(`subject tap: subscribe failed: ${describeError(err)}`);
  }
  const timer = setInterval(() => {
    try {
      tick();
    } catch (err) {
      opts.log?.(`subject tap: ${describeError(err)}`);
    }
  }, intervalMs);
  timer.unref?.();

  return {
    control: () => ctl,
    stop() {
      stopped = true;
      clearInterval(timer);
      for (const s of subs.values()) s.sub.unsubscribe();
      subs.clear();
    },
  };
}
