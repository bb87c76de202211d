"use client";
import Link from "@/components/ui/range-link";
import { formatCount } from "@/lib/format";
import { links } from "@/lib/links";
import { ChartSubjectCounts } from "./chart-subject-counts";
import styles from "./streams.module.css";
import { useSubjectCounts } from "./use-stream-queries";

const TOP_N = [5, 10, 20, 50] as const;

/** Messages per subject: every subject in a table (each a link to browse it), the top N as bars. */
export function StreamSubjectsPanel({ name, top, onTop }: { name: string; top: number; onTop: (n: (typeof TOP_N)[number]) => void }) {
  const q = useSubjectCounts(name);
  const subjects = q.data?.subjects ?? [];
  return (
    <div className="panel">
      <div className={styles.panelHead}>
        <h2>Messages per subject</h2>
        <span className="muted">
          {q.data ? (
            `${formatCount(q.data.total)} subjects`
          ) : q.isError ? (
            <span className="bad-text">{(q.error as Error).message}</span>
          ) : (
            "loading…"
          )}
        </span>
        <div className={styles.right}>
          <span className="muted">top</span>
          <div className="seg" role="group" aria-label="Top N">
            {TOP_N.map((n) => (
              <button key={n} type="button" aria-pressed={n === top} onClick={() => onTop(n)}>
                {n}
              </button>
            ))}
          </div>
        </div>
      </div>
      <div className={styles.detailGrid}>
        <div className={styles.subjectTable}>
          <table className="data" data-testid="subject-counts">
            <thead>
              <tr>
                <th>Subject</th>
                <th className="num">Messages</th>
                <th className="num">Share</th>
                <th>Route</th>
              </tr>
            </thead>
            <tbody>
              {subjects.map((x) => (
                <tr key={x.subject}>
                  <td className="mono">
                    <Link href={links.browse(name, { subject: x.subject })}>{x.subject}</Link>
                  </td>
                  <td className="num">{formatCount(x.messages)}</td>
                  <td className="num">{share(x.messages, subjects)}</td>
                  <td>
                    <Link href={links.busSubjects(x.subject)} className="muted" aria-label={`Where does ${x.subject} go?`}>
                      where it goes
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div className={styles.chartBar}>{subjects.length > 0 && <ChartSubjectCounts subjects={subjects.slice(0, top)} />}</div>
      </div>
    </div>
  );
}

function share(n: number, all: { messages: number }[]): string {
  const total = all.reduce((a, b) => a + b.messages, 0);
  return total ? `${((n / total) * 100).toFixed(1)}%` : "—";
}
