"use client";
import { useState, type FormEvent } from "react";
import Link from "@/components/ui/range-link";
import { useUrlState } from "@/components/ui/use-url-state";
import { useDisplayZone } from "@/components/ui/display-zone";
import { StatCard } from "@/components/ui/stat-card";
import { StatusPill } from "@/components/ui/status-pill";
import { HealthPill } from "@/components/consumers/health-pill";
import banner from "@/components/ui/warning-banner.module.css";
import { formatCount, formatDuration, formatRate, formatUtc } from "@/lib/format";
import { links } from "@/lib/links";
import {
  parseSubjectsViewState,
  subjectsViewStateToSearch,
  type RouteConsumer,
  type RouteStream,
  type SubjectRoute,
} from "@/lib/bus/subject-route";
import { connectionsViewStateToSearch } from "@/lib/bus/connections-search";
import { BusTabs } from "./bus-tabs";
import { useSubjectRoute } from "./use-subject-route";
import { useSubjectTail } from "./use-subject-tail";
import { useLiveTopic } from "@/components/live/use-live-events";
import { SubjectTreePanel, TapStateLine, TopTalkersPanel, type SubjectActions } from "./subject-tap-panel";
import { SubjectTailPanel } from "./subject-tail-panel";
import tapStyles from "./subject-tap.module.css";
import styles from "./subjects.module.css";

/**
 * The subject tap's live view (tree, top talkers, tail) above "Where does this subject go?"
 * (/bus/subjects?subject=…, answered on request). A subject clicked in the tap fills the question.
 */
export function SubjectsView() {
  const [state, setState] = useUrlState(parseSubjectsViewState, subjectsViewStateToSearch);
  const q = useSubjectRoute(state.subject);
  const snap = useLiveTopic("bus_subjects").data;
  const zone = useDisplayZone();
  const tail = useSubjectTail();
  const actions: SubjectActions = { onRoute: (subject) => setState({ subject }), onTail: tail.start };
  return (
    <>
      <BusTabs />
      <div className="page-head">
        <h1>Subjects</h1>
        <span className="sub">
          Live core traffic on the tapped subjects, and where any subject goes: the streams that capture it, the consumers that read it, its
          core subscribers.
        </span>
      </div>
      {snap ? (
        <>
          <TapStateLine snap={snap} zone={zone} />
          <div className={tapStyles.grid}>
            <SubjectTreePanel snap={snap} actions={actions} />
            <TopTalkersPanel subjects={snap.subjects} actions={actions} />
          </div>
          <SubjectTailPanel tail={tail} snap={snap} zone={zone} />
        </>
      ) : (
        <div className="panel empty" data-testid="subject-tap-loading">
          Connecting to the subject tap…
        </div>
      )}
      <h2 className={styles.routeHead}>Where does this subject go?</h2>
      <SubjectForm asked={state.subject} onAsk={(subject) => setState({ subject })} error={errorOf(q)} />
      {q.data && <RouteAnswer route={q.data} refreshing={q.isFetching} onRefresh={() => void q.refetch()} />}
      {q.isPending && state.subject !== "" && <div className="panel empty">Asking…</div>}
      {!state.subject && (
        <div className="panel empty" data-testid="subject-route-empty">
          Type a subject like <span className="mono">orders.eu.created</span>, or one with wildcards like{" "}
          <span className="mono">orders.*.created</span> or <span className="mono">orders.&gt;</span>.
        </div>
      )}
    </>
  );
}

const errorOf = (q: ReturnType<typeof useSubjectRoute>) => (q.isError ? (q.error as Error).message : null);

function SubjectForm({ asked, onAsk, error }: { asked: string; onAsk: (subject: string) => void; error: string | null }) {
  const [text, setText] = useState(asked);
  // A link or Back to another subject refills the field; the field stays mounted, so it keeps the focus.
  const [shown, setShown] = useState(asked);
  if (asked !== shown) {
    setShown(asked);
    setText(asked);
  }
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onAsk(text);
  };
  return (
    <form className={`toolbar ${styles.form}`} onSubmit={submit} role="search" aria-label="Route a subject">
      <label htmlFor="subject-route-input">Subject</label>
      <input
        id="subject-route-input"
        className={`mono ${styles.input}`}
        value={text}
        onChange={(e) => setText(e.target.value)}
        placeholder="orders.eu.created"
        spellCheck={false}
        autoComplete="off"
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? "subject-route-error" : undefined}
        data-testid="subject-route-input"
      />
      <button type="submit" className="btn" data-testid="subject-route-ask">
        Where does it go?
      </button>
      {/* A fixed-height line, so an error appearing does not move the answer below. */}
      <span id="subject-route-error" className={`bad-text ${styles.error}`} role="alert" data-testid="subject-route-error">
        {error}
      </span>
    </form>
  );
}

function RouteAnswer({ route, refreshing, onRefresh }: { route: SubjectRoute; refreshing: boolean; onRefresh: () => void }) {
  const zone = useDisplayZone();
  const subs = route.subscribers;
  return (
    <div data-testid="subject-route-answer">
      <div className={styles.cards}>
        <StatCard label="Streams" value={formatCount(route.streams.length)} sub="capture it" testId="subject-route-streams-count" />
        <StatCard label="Consumers" value={formatCount(route.consumers.length)} sub="filters match it" />
        <StatCard
          label="Core subscribers"
          value={subs.source ? formatCount(subs.connections.length) : "—"}
          sub={subs.source ? `${plural(subs.subscriptions, "subscription")}${queueNote(subs.queue_groups)}` : "not configured"}
        />
        <StatCard
          label="Live rate"
          value={route.rate ? formatRate(route.rate.msgs_per_s, " msg/s") : "—"}
          sub={route.rate ? `stream ${route.rate.stream}, all its subjects (streams sampler)` : "no capturing stream sampled twice"}
          testId="subject-route-rate"
        />
      </div>
      <div className={`muted ${styles.asOf}`} data-testid="subject-route-as-of">
        <span className="mono">{route.subject}</span>
        {route.wildcard ? " (a wildcard: every subject it names)" : ""} · streams and consumers as sampled{" "}
        {formatUtc(route.sampled_at, zone)}; subscribers read from the servers now ·{" "}
        <button type="button" className="btn" onClick={onRefresh} disabled={refreshing}>
          {refreshing ? "Asking…" : "Ask again"}
        </button>
      </div>
      <StreamsPanel streams={route.streams} wildcard={route.wildcard} />
      <ConsumersPanel consumers={route.consumers} />
      <SubscribersPanel subscribers={subs} />
    </div>
  );
}

const plural = (n: number, word: string) => `${formatCount(n)} ${word}${n === 1 ? "" : "s"}`;
const queueNote = (groups: string[]) => (groups.length ? `, ${plural(groups.length, "queue group")}` : "");

function StreamsPanel({ streams, wildcard }: { streams: RouteStream[]; wildcard: boolean }) {
  return (
    <section className="panel" aria-labelledby="subject-route-streams">
      <h2 id="subject-route-streams">Streams that capture it</h2>
      {streams.length === 0 ? (
        <p className="muted">No stream captures it: a message published on it is not stored.</p>
      ) : (
        <table className="data" data-testid="subject-route-streams">
          <thead>
            <tr>
              <th>Stream</th>
              <th>Captured by</th>
              {wildcard && <th>Captures</th>}
              <th className="num">Ingest msg/s</th>
            </tr>
          </thead>
          <tbody>
            {streams.map((s) => (
              <tr key={s.name}>
                <td>
                  <Link href={links.stream(s.name)}>{s.name}</Link>
                </td>
                <td className="mono">{s.via ? `${s.via.kind} of ${s.via.stream}` : s.filters.join(", ")}</td>
                {wildcard && (
                  <td>
                    <StatusPill tone={s.covers ? "ok" : "info"} label={s.covers ? "all of it" : "part of it"} />
                  </td>
                )}
                <td className="num">{formatRate(s.msgs_per_s, "")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function ConsumersPanel({ consumers }: { consumers: RouteConsumer[] }) {
  return (
    <section className="panel" aria-labelledby="subject-route-consumers">
      <h2 id="subject-route-consumers">Consumers whose filters match it</h2>
      {consumers.length === 0 ? (
        <p className="muted">No consumer reads it.</p>
      ) : (
        <table className="data" data-testid="subject-route-consumers">
          <thead>
            <tr>
              <th>Consumer</th>
              <th>Stream</th>
              <th>Filter</th>
              <th className="num">Lag msgs</th>
              <th className="num">Lag s</th>
              <th>Health</th>
            </tr>
          </thead>
          <tbody>
            {consumers.map((c) => (
              <tr key={`${c.stream}/${c.name}`}>
                <td>
                  <Link href={links.consumer(c.stream, c.name)}>{c.name}</Link>
                </td>
                <td>{c.stream}</td>
                <td className="mono">{c.filters.length ? c.filters.join(", ") : <span className="muted">none: the whole stream</span>}</td>
                <td className="num">{formatCount(c.lag_messages)}</td>
                <td className="num">{c.lag_seconds === null ? "—" : c.lag_seconds === 0 ? "0s" : formatDuration(c.lag_seconds * 1000)}</td>
                <td>
                  <HealthPill verdict={c.health} />
                  {c.unknown_since && <span className="muted"> last reading</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function SubscribersPanel({ subscribers: s }: { subscribers: SubjectRoute["subscribers"] }) {
  return (
    <section className="panel" aria-labelledby="subject-route-subscribers">
      <h2 id="subject-route-subscribers">Core subscribers interested in it</h2>
      {s.configure && (
        <div className={banner.banner} role="status">
          No subscription lists: {s.configure}
        </div>
      )}
      {s.errors.length > 0 && (
        <p className="bad-text" role="status">
          Not every server answered: {s.errors.join(" · ")}
        </p>
      )}
      {s.truncated.length > 0 && (
        <p className="warn-text" role="status">
          {s.truncated.join(", ")}: more connections than busdeck reads per server; subscribers beyond them are not listed.
        </p>
      )}
      {s.source && (
        <p className="muted">
          From the servers&apos; subscription lists ({s.source === "system" ? "system account" : "monitoring URLs"})
          {s.account ? `, account ${s.account}` : ""}. A message goes to every plain subscription and to one member of each queue group.
        </p>
      )}
      {s.source && s.connections.length === 0 && <p className="muted">No core subscriber is interested in it.</p>}
      {s.connections.length > 0 && (
        <table className="data" data-testid="subject-route-subscribers">
          <thead>
            <tr>
              <th>Connection</th>
              <th>Server</th>
              <th>Subscribed to</th>
              <th>Queue group</th>
              <th className="num">Msgs delivered</th>
            </tr>
          </thead>
          <tbody>
            {s.connections.flatMap((c) =>
              c.subscriptions.map((sub, i) => (
                <tr key={`${c.server}/${c.cid}/${i}`}>
                  <td>
                    {c.name ? (
                      <Link href={links.busConnections(connectionsViewStateToSearch({ q: c.name }))}>{c.name}</Link>
                    ) : (
                      <span className="muted">cid {c.cid}</span>
                    )}
                  </td>
                  <td>{c.server}</td>
                  <td className="mono">{sub.subject}</td>
                  <td>{sub.queue ?? <span className="muted">—</span>}</td>
                  <td className="num">{formatCount(sub.msgs)}</td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      )}
      {s.unlisted > 0 && <p className="muted">{plural(s.unlisted, "more matching subscription")} counted, not listed.</p>}
      {s.own > 0 && (
        <p className="muted" data-testid="subject-route-own-subscriptions">
          Not counted: {plural(s.own, "subscription")} of busdeck&apos;s own (its subject tap, its live feeds).
        </p>
      )}
    </section>
  );
}
