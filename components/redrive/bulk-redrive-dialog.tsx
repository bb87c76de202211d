"use client";
/**
 * Bulk redrive of a consumer's dead letters in a sequence range: the dialog says which messages it will send,
 * then shows each one's result as it goes out; Cancel stops the rest (closing the response stops the server).
 */
import { useRef, useState } from "react";
import { KeyValueList } from "@/components/ui/key-value-list";
import Link from "@/components/ui/range-link";
import type { DeadLetterEntry } from "@/lib/consumers/series";
import { formatCount } from "@/lib/format";
import { links } from "@/lib/links";
import { DEFAULT_BULK_PER_SECOND, deadLetterSeqs, type BulkRedriveEvent } from "@/lib/redrive/bulk";
import styles from "./redrive.module.css";
import { useBulkRedrive } from "./use-bulk-redrive";

export function BulkRedriveButton({ stream, consumer, deadLetters }: { stream: string; consumer: string; deadLetters: DeadLetterEntry[] }) {
  const ref = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);
  const seqs = deadLetterSeqs(deadLetters, 1, Number.MAX_SAFE_INTEGER);
  return (
    <>
      <button
        type="button"
        className="btn"
        aria-haspopup="dialog"
        disabled={seqs.length === 0}
        onClick={() => {
          setOpen(true);
          ref.current?.showModal();
        }}
        data-testid="bulk-redrive-button"
      >
        Redrive dead letters…
      </button>
      <dialog
        ref={ref}
        className={`confirm-dialog ${styles.dialog}`}
        aria-labelledby="bulk-redrive-title"
        onClose={() => setOpen(false)}
        data-testid="bulk-redrive-dialog"
      >
        {open && <BulkRedriveForm stream={stream} consumer={consumer} deadLetters={deadLetters} onClose={() => ref.current?.close()} />}
      </dialog>
    </>
  );
}

function BulkRedriveForm({
  stream,
  consumer,
  deadLetters,
  onClose,
}: {
  stream: string;
  consumer: string;
  deadLetters: DeadLetterEntry[];
  onClose: () => void;
}) {
  const all = deadLetterSeqs(deadLetters, 1, Number.MAX_SAFE_INTEGER);
  const [from, setFrom] = useState(all[0] ?? 1);
  const [to, setTo] = useState(all[all.length - 1] ?? 1);
  const [n, setN] = useState(1);
  const [perSecond, setPerSecond] = useState(DEFAULT_BULK_PER_SECOND);
  const bulk = useBulkRedrive(stream, consumer);
  const planned = deadLetterSeqs(deadLetters, from, to);
  const started = bulk.events.length > 0 || bulk.running;
  const number = (label: string, value: number, set: (v: number) => void, testId: string) => (
    <input
      type="number"
      min={1}
      value={value}
      onChange={(e) => set(Math.max(1, Math.floor(Number(e.target.value) || 1)))}
      aria-label={label}
      disabled={started}
      data-testid={testId}
    />
  );
  return (
    <>
      <h2 id="bulk-redrive-title">
        Redrive dead letters of {consumer} ({stream})
      </h2>
      <KeyValueList
        rows={[
          { label: "From sequence", value: number("From sequence", from, setFrom, "bulk-from") },
          { label: "To sequence", value: number("To sequence", to, setTo, "bulk-to") },
          { label: "Attempt", value: number("Attempt (the dedup id's n)", n, setN, "bulk-n") },
          { label: "Pace", value: <>{number("Messages per second", perSecond, setPerSecond, "bulk-pace")} per second</> },
          {
            label: "Will send",
            value: planned.length
              ? `${formatCount(planned.length)} dead letter${planned.length === 1 ? "" : "s"}: ${planned.map((s) => `#${s}`).join(", ")}`
              : "none in this range",
            testId: "bulk-planned",
          },
        ]}
      />
      <BulkProgress stream={stream} events={bulk.events} />
      {bulk.error && (
        <p className="error-text" role="alert">
          {bulk.error.message}
        </p>
      )}
      <div className={`confirm-dialog-buttons ${styles.buttons}`}>
        {bulk.running ? (
          <button type="button" className="btn" onClick={bulk.cancel} data-testid="bulk-cancel">
            Cancel the rest
          </button>
        ) : (
          <button type="button" className="btn" onClick={onClose} autoFocus>
            {started ? "Close" : "Cancel"}
          </button>
        )}
        {!started && (
          <button
            type="button"
            className="btn btn-danger"
            disabled={planned.length === 0}
            onClick={() => bulk.start({ from_seq: from, to_seq: to, n, per_second: perSecond })}
            data-testid="bulk-start"
          >
            Redrive {formatCount(planned.length)}
          </button>
        )}
      </div>
    </>
  );
}

/** What has gone out so far, one line per message, and the summary once it ends. */
function BulkProgress({ stream, events }: { stream: string; events: BulkRedriveEvent[] }) {
  const plan = events.find((e) => e.kind === "planned");
  const messages = events.filter((e) => e.kind === "message");
  const done = events.find((e) => e.kind === "done");
  if (!plan) return null;
  return (
    <section className={styles.section} data-testid="bulk-progress">
      <p role="status" aria-live="polite" data-testid="bulk-summary">
        {done
          ? `${done.cancelled ? "Cancelled" : "Done"}: ${done.sent} sent, ${done.duplicates} already held by the stream, ${done.failed} failed.`
          : `${messages.length} of ${plan.seqs.length}…`}
      </p>
      <ul className={styles.results}>
        {messages.map((e) => (
          <li key={e.seq} data-testid="bulk-result">
            #{e.seq} →{" "}
            {e.ok ? (
              <>
                <Link href={links.message(stream, e.result.published_seq)}>
                  {stream} #{formatCount(e.result.published_seq)}
                </Link>
                {e.result.duplicate && " (already held)"}
              </>
            ) : (
              <span className="error-text">{e.reason}</span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
