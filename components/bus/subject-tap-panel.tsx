"use client";
import { useMemo, useState } from "react";
import { StatusPill, type Tone } from "@/components/ui/status-pill";
import { EmptyRow } from "@/components/ui/empty-row";
import { formatBytes, formatCount, formatDuration, formatRate, formatUtcTime, type DisplayZone } from "@/lib/format";
import { buildSubjectTree, nodeSubject, topTalkers, visibleNodes, type SubjectNode, type SubjectRate } from "@/lib/bus/subject-tree";
import type { BusSubjectsSnapshot, TapMode } from "@/lib/bus/subject-tap";
import styles from "./subject-tap.module.css";

const MODE: Record<TapMode, { tone: Tone; label: string }> = {
  on: { tone: "ok", label: "tap on" },
  narrowed: { tone: "warn", label: "tap narrowed" },
  paused: { tone: "bad", label: "tap paused" },
  off: { tone: "neutral", label: "tap off" },
};

const bytesPerS = (n: number) => `${formatBytes(Math.round(n))}/s`;

/** What a subject in the tree or the top talkers can be used for: the route question, or the tail. */
export interface SubjectActions {
  onRoute: (subject: string) => void;
  onTail: (subject: string) => void;
}

/** The tap's state in colour and words: what it taps, its budget, and when narrowed or paused the rate it saw. */
export function TapStateLine({ snap, zone }: { snap: BusSubjectsSnapshot; zone: DisplayZone }) {
  const t = snap.tap;
  const m = MODE[t.mode];
  return (
    <div className={styles.stateLine} data-testid="subject-tap-state" data-mode={t.mode}>
      <StatusPill tone={m.tone} label={m.label} />
      {t.mode === "off" ? (
        <span>{t.reason}</span>
      ) : (
        <>
          <span className="tabular">
            {formatRate(t.received_per_s, " msg/s")} received of a {formatRate(t.max_rate, " msg/s")} budget
          </span>
          <span className="muted">
            · tapping <span className="mono">{t.active.length ? t.active.join(", ") : "nothing"}</span>
            {t.active.length !== t.configured.length && (
              <>
                {" "}
                of <span className="mono">{t.configured.join(", ")}</span>
              </>
            )}
          </span>
          {t.reason && (
            <span className={t.mode === "paused" ? "bad-text" : "warn-text"} data-testid="subject-tap-reason">
              · {t.reason}
              {t.retry_at !== null && <> · retrying at {formatUtcTime(t.retry_at, zone)}</>}
            </span>
          )}
          {t.mode === "on" && t.seen && (
            <span className="muted">
              · last over budget at {formatUtcTime(t.seen.at, zone)} ({formatRate(t.seen.msgs_per_s, " msg/s")})
            </span>
          )}
          {snap.tapped_by && (
            <span
              className="muted"
              data-testid="subject-tap-source"
              title="Only the elected sampler replica taps the bus; the others show its figures"
            >
              · tapped by replica <span className="mono">{snap.tapped_by}</span>
            </span>
          )}
        </>
      )}
    </div>
  );
}

/** The subject tree: token prefixes with their rates, expandable by button (Tab, Enter), rows that keep their order. */
export function SubjectTreePanel({ snap, actions }: { snap: BusSubjectsSnapshot; actions: SubjectActions }) {
  const tree = useMemo(() => buildSubjectTree(snap.subjects, { order: "name" }), [snap.subjects]);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const rows = visibleNodes(tree, expanded);
  const toggle = (path: string) =>
    setExpanded((e) => {
      const next = new Set(e);
      if (!next.delete(path)) next.add(path);
      return next;
    });
  return (
    <section className="panel" aria-labelledby="subject-tree-title" data-testid="subject-tree">
      <h2 id="subject-tree-title">
        Subject tree{" "}
        <span className={`muted ${styles.headNote}`}>
          · core traffic over the last {formatDuration(snap.span_ms || snap.window_ms)}, up to {formatCount(snap.cap)} subjects tracked
        </span>
      </h2>
      <div className={styles.treeScroller}>
        <table className={`data ${styles.tree}`}>
          <thead>
            <tr>
              <th>Subject</th>
              <th className="num">msg/s</th>
              <th className="num">bytes/s</th>
              <th className="num">Subjects</th>
              <th>
                <span className={styles.srOnly}>Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((n) => (
              <TreeRow key={n.path} node={n} open={expanded.has(n.path)} onToggle={() => toggle(n.path)} actions={actions} />
            ))}
            {snap.other && (
              <tr data-testid="subject-tree-other">
                <td>
                  <span className={styles.other}>(other)</span>{" "}
                  <span className="muted">subjects beyond the {formatCount(snap.cap)} tracked, folded together</span>
                </td>
                <td className="num tabular">{formatRate(snap.other.msgs_per_s, "")}</td>
                <td className="num tabular">{bytesPerS(snap.other.bytes_per_s)}</td>
                <td className="num">—</td>
                <td />
              </tr>
            )}
            {rows.length === 0 && !snap.other && (
              <EmptyRow columns={5}>{snap.tap.mode === "off" ? "The tap is off." : "No traffic on the tapped subjects yet."}</EmptyRow>
            )}
          </tbody>
        </table>
      </div>
      <p className={`muted ${styles.foot}`} data-testid="subject-tree-internal">
        Not in the tree: {formatRate(snap.internal.msgs_per_s, " msg/s")} of API and reply traffic (<span className="mono">$JS</span>,{" "}
        <span className="mono">$KV</span>, <span className="mono">$SYS</span>, <span className="mono">_INBOX</span>, busdeck&apos;s own).
      </p>
    </section>
  );
}

function TreeRow({
  node: n,
  open,
  onToggle,
  actions,
}: {
  node: SubjectNode;
  open: boolean;
  onToggle: () => void;
  actions: SubjectActions;
}) {
  const subject = nodeSubject(n);
  return (
    <tr data-testid="subject-tree-row" data-path={n.path}>
      <td>
        <span className={styles.nodeCell} style={{ paddingLeft: n.depth * 16 }}>
          {n.children.length > 0 ? (
            <button
              type="button"
              className={styles.toggle}
              aria-expanded={open}
              aria-label={`${open ? "Collapse" : "Expand"} ${n.path}`}
              onClick={onToggle}
            >
              {open ? "▾" : "▸"}
            </button>
          ) : (
            <span className={styles.toggleSpace} aria-hidden />
          )}
          <button
            type="button"
            className={`mono ${styles.subject}`}
            title={`Where does ${subject} go?`}
            onClick={() => actions.onRoute(subject)}
          >
            {n.depth === 0 ? n.token : `.${n.token}`}
          </button>
          {n.children.length > 0 && n.exact && <span className="muted"> (and itself)</span>}
        </span>
      </td>
      <td className="num tabular">{formatRate(n.msgs_per_s, "")}</td>
      <td className="num tabular">{bytesPerS(n.bytes_per_s)}</td>
      <td className="num tabular">{formatCount(n.subjects)}</td>
      <td className={styles.actions}>
        <button type="button" className="btn btn-ghost" onClick={() => actions.onTail(subject)} aria-label={`Tail ${subject}`}>
          Tail
        </button>
      </td>
    </tr>
  );
}

/** The busiest subjects, whatever their place in the tree. */
export function TopTalkersPanel({ subjects, actions }: { subjects: readonly SubjectRate[]; actions: SubjectActions }) {
  const top = topTalkers(subjects, 10);
  return (
    <section className="panel" aria-labelledby="top-talkers-title" data-testid="top-talkers">
      <h2 id="top-talkers-title">Top talkers</h2>
      <table className="data">
        <thead>
          <tr>
            <th>Subject</th>
            <th className="num">msg/s</th>
            <th className="num">bytes/s</th>
            <th>
              <span className={styles.srOnly}>Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {top.map((s) => (
            <tr key={s.subject} data-testid="top-talker-row">
              <td className={styles.talker}>
                <button
                  type="button"
                  className={`mono ${styles.subject}`}
                  title={`Where does ${s.subject} go?`}
                  onClick={() => actions.onRoute(s.subject)}
                >
                  {s.subject}
                </button>
              </td>
              <td className="num tabular">{formatRate(s.msgs_per_s, "")}</td>
              <td className="num tabular">{bytesPerS(s.bytes_per_s)}</td>
              <td className={styles.actions}>
                <button type="button" className="btn btn-ghost" onClick={() => actions.onTail(s.subject)} aria-label={`Tail ${s.subject}`}>
                  Tail
                </button>
              </td>
            </tr>
          ))}
          {top.length === 0 && <EmptyRow columns={4}>No subjects yet.</EmptyRow>}
        </tbody>
      </table>
    </section>
  );
}
