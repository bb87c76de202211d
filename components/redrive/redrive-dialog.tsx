"use client";
/**
 * Redrive one stored message: a modal that shows what will happen before it does — the subject, the
 * size, the consumers whose filter receives it with their lag now, the dedup id and the equivalent nats CLI
 * command — then what the stream did. Offered to operators only; the server checks again.
 */
import { useRef, useState } from "react";
import { useLiveTopic } from "@/components/live/use-live-events";
import { useIsOperator } from "@/components/shell/role";
import { CopyCommand } from "@/components/ui/copy-command";
import { KeyValueList } from "@/components/ui/key-value-list";
import Link from "@/components/ui/range-link";
import { useMessage } from "@/components/streams/use-stream-queries";
import { formatBytes, formatCount } from "@/lib/format";
import { links } from "@/lib/links";
import { redriveCommand } from "@/lib/redrive/cli";
import { receivingConsumers, redriveHeaders, redriveMsgId, redriveSubjectProblem } from "@/lib/redrive/redrive";
import { lagMessages, type ConsumerRow } from "@/lib/consumers/types";
import { lagSecondsText } from "@/components/consumers/consumers-table";
import type { MessageDetail } from "@/lib/streams/messages";
import styles from "./redrive.module.css";
import { useRedrive } from "./use-redrive";

/** One dialog for a page (a message, or a table of dead letters): `ask(seq)` opens it on that message. */
export function useRedriveDialog(stream: string) {
  const ref = useRef<HTMLDialogElement>(null);
  const [seq, setSeq] = useState<number | null>(null);
  const operator = useIsOperator();
  const ask = (next: number) => {
    setSeq(next);
    ref.current?.showModal();
  };
  const close = () => ref.current?.close();
  const dialog = operator ? (
    <dialog
      ref={ref}
      className={`confirm-dialog ${styles.dialog}`}
      aria-labelledby="redrive-title"
      onClose={() => setSeq(null)}
      data-testid="redrive-dialog"
    >
      {seq !== null && <RedrivePreview key={seq} stream={stream} seq={seq} onClose={close} />}
    </dialog>
  ) : null;
  return { operator, ask, dialog };
}

/** The message page's Redrive button and its dialog; nothing for a viewer or a read-only deployment. */
export function RedriveButton({ stream, seq }: { stream: string; seq: number }) {
  const { operator, ask, dialog } = useRedriveDialog(stream);
  if (!operator) return null;
  return (
    <>
      <button type="button" className="btn" aria-haspopup="dialog" onClick={() => ask(seq)} data-testid="redrive-button">
        Redrive…
      </button>
      {dialog}
    </>
  );
}

function RedrivePreview({ stream, seq, onClose }: { stream: string; seq: number; onClose: () => void }) {
  const message = useMessage(stream, seq);
  const m = message.data;
  return (
    <>
      <h2 id="redrive-title">
        Redrive {stream} #{formatCount(seq)}
      </h2>
      {m ? (
        <RedriveForm stream={stream} message={m} onClose={onClose} />
      ) : (
        <>
          <p role={message.isError ? "alert" : undefined}>
            {message.isError ? `Could not load the message: ${message.error.message}` : "Loading…"}
          </p>
          <div className="confirm-dialog-buttons">
            <button type="button" className="btn" onClick={onClose}>
              Cancel
            </button>
          </div>
        </>
      )}
    </>
  );
}

function RedriveForm({ stream, message: m, onClose }: { stream: string; message: MessageDetail; onClose: () => void }) {
  // n: the attempt the dedup id names; the same n sent twice is one message in the duplicate window.
  const [n, setN] = useState(1);
  const [subject, setSubject] = useState(m.subject);
  const redrive = useRedrive(stream, m.seq);
  const streamSubjects = useLiveTopic("streams").data?.streams.find((s) => s.name === stream)?.config.subjects ?? null;
  const rows = useLiveTopic("consumer_rows").data?.items ?? null;
  const problem = streamSubjects ? redriveSubjectProblem(subject, streamSubjects) : null;
  const receivers = rows ? receivingConsumers(stream, subject, rows) : null;
  const cli = redriveCommand({ stream, seq: m.seq, subject, headers: redriveHeaders(m.headers, { stream, seq: m.seq, n }) });
  const done = redrive.data;
  const send = () => redrive.mutate(subject === m.subject ? { n } : { n, subject });
  const nextAttempt = () => {
    redrive.reset();
    setN(n + 1);
  };
  return (
    <>
      <KeyValueList
        rows={[
          {
            label: "Subject",
            value: (
              <input
                className={styles.subject}
                value={subject}
                onChange={(e) => {
                  redrive.reset();
                  setSubject(e.target.value.trim());
                }}
                aria-label="Subject to publish to"
                aria-invalid={problem !== null}
                aria-describedby={problem ? "redrive-subject-problem" : undefined}
                disabled={redrive.isPending}
                data-testid="redrive-subject"
              />
            ),
          },
          { label: "Size", value: `${formatBytes(m.size)} payload, plus headers`, testId: "redrive-size" },
          { label: "Message id", value: redriveMsgId(stream, m.seq, n), mono: true, testId: "redrive-msg-id" },
        ]}
      />
      {problem && (
        <p className="error-text" id="redrive-subject-problem" role="alert">
          {problem}
        </p>
      )}
      <section className={styles.section}>
        <h3>Consumers that will receive it</h3>
        <Receivers receivers={receivers} />
      </section>
      <section className={styles.section}>
        <h3>Same with the nats CLI</h3>
        <CopyCommand command={cli.command} label="redrive command" testId="redrive-cli" />
        {cli.masked_headers.length > 0 && (
          <p className="muted">Masked here, add by hand: {cli.masked_headers.join(", ")} (read them with nats stream get).</p>
        )}
      </section>
      <div className={styles.outcome} role="status" aria-live="polite" data-testid="redrive-result">
        {done && !done.duplicate && (
          <>
            Redriven: stored as{" "}
            <Link href={links.message(stream, done.published_seq)} onClick={onClose}>
              {stream} #{formatCount(done.published_seq)}
            </Link>{" "}
            on {done.subject}.
          </>
        )}
        {done?.duplicate && (
          <>
            Not stored again: the stream already holds attempt {n} as #{formatCount(done.published_seq)} (same message id, within its
            duplicate window).
          </>
        )}
      </div>
      {redrive.error && (
        <p className="error-text" role="alert" data-testid="redrive-error">
          {redrive.error.message}
        </p>
      )}
      <div className={`confirm-dialog-buttons ${styles.buttons}`}>
        <button type="button" className="btn" onClick={onClose} autoFocus>
          {done ? "Close" : "Cancel"}
        </button>
        {done?.duplicate && (
          <button type="button" className="btn" onClick={nextAttempt} data-testid="redrive-next-attempt">
            Prepare attempt {n + 1}
          </button>
        )}
        {!done && (
          <button
            type="button"
            className="btn btn-danger"
            onClick={send}
            disabled={problem !== null || redrive.isPending}
            data-testid="redrive-confirm"
          >
            {redrive.isPending ? "Redriving…" : "Redrive"}
          </button>
        )}
      </div>
    </>
  );
}

function Receivers({ receivers }: { receivers: ConsumerRow[] | null }) {
  if (receivers === null) return <p className="muted">Loading consumers…</p>;
  if (receivers.length === 0) {
    return (
      <p className="muted" data-testid="redrive-receivers">
        No consumer&apos;s filter receives this subject: the copy would only be stored.
      </p>
    );
  }
  return (
    <table className={`data ${styles.receivers}`} data-testid="redrive-receivers">
      <thead>
        <tr>
          <th>Consumer</th>
          <th>Filter</th>
          <th className="num">Lag (messages)</th>
          <th className="num">Lag (time)</th>
        </tr>
      </thead>
      <tbody>
        {receivers.map((c) => (
          <tr key={c.name}>
            <td>{c.name}</td>
            <td className="mono">{c.config.filter_subjects.length ? c.config.filter_subjects.join(", ") : "(all subjects)"}</td>
            <td className="num">{formatCount(lagMessages(c))}</td>
            <td className="num">{lagSecondsText(c)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
