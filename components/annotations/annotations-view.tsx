"use client";
import { useState, type FormEvent } from "react";
import { useLiveTopic } from "@/components/live/use-live-events";
import { useIsOperator } from "@/components/shell/role";
import { useConfirmDelete } from "@/components/ui/confirm-delete";
import { DeleteCell } from "@/components/ui/delete-cell";
import { MAX_ANNOTATION_TEXT, type Annotation } from "@/lib/review/annotations";
import { formatCount, formatUtc } from "@/lib/format";
import styles from "./annotations.module.css";
import { useAddAnnotation, useDeleteAnnotation } from "./use-annotations";
import { useDisplayZone } from "@/components/ui/display-zone";
import { EmptyRow } from "@/components/ui/empty-row";

/** `<input type="datetime-local">` value for a UTC instant: the form edits UTC, as every view shows it. */
const utcInputValue = (ms: number) => new Date(ms).toISOString().slice(0, 19);

/** Notes on every chart's timeline: the list, newest first, and (for operators) the form to add one. */
export function AnnotationsView() {
  const zone = useDisplayZone();
  const notes = useLiveTopic("annotations").data ?? [];
  const operator = useIsOperator();
  const [text, setText] = useState("");
  // Empty means "now" at the moment of saving; the operator may set an earlier time.
  const [at, setAt] = useState("");
  const add = useAddAnnotation(() => {
    setText("");
    setAt("");
  });
  const remove = useDeleteAnnotation(() => confirm.close());
  const confirm = useConfirmDelete<Annotation>({
    title: "Delete note?",
    describe: (a) => (
      <>
        The note <strong>{a.text}</strong> at {formatUtc(a.at, zone)} by {a.author} disappears from every chart and every replica.
      </>
    ),
    onConfirm: (a) => remove.mutate(a.id),
    busy: remove.isPending,
    error: remove.error,
    reset: remove.reset,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate({ text, ...(at ? { at: `${at.length === 16 ? `${at}:00` : at}Z` } : {}) });
  };

  return (
    <>
      <div className="page-head">
        <h1>Notes</h1>
        <span className="sub">{formatCount(notes.length)} notes — shown on every chart&apos;s timeline, in every open browser</span>
      </div>
      {operator ? (
        <form className={styles.form} onSubmit={submit} data-testid="annotation-form">
          <label className={styles.when}>
            <span>Time (UTC)</span>
            <input
              type="datetime-local"
              step={1}
              value={at}
              onChange={(e) => setAt(e.target.value)}
              onFocus={() => at || setAt(utcInputValue(Date.now()))}
              aria-label="Time (UTC)"
              data-testid="annotation-at"
            />
          </label>
          <input
            className={styles.text}
            type="text"
            placeholder="What happened? e.g. rolled back deploy 1.4.2"
            maxLength={MAX_ANNOTATION_TEXT}
            value={text}
            onChange={(e) => setText(e.target.value)}
            aria-label="Note"
            data-testid="annotation-text"
            required
          />
          <span className="muted tabular">
            {text.length}/{MAX_ANNOTATION_TEXT}
          </span>
          <button type="submit" className="btn" disabled={add.isPending || !text.trim()} data-testid="annotation-add">
            {add.isPending ? "Adding…" : "Add note"}
          </button>
          {!at && <span className="muted">time: now</span>}
          {add.error && (
            <span className="error-text" role="alert">
              {add.error.message}
            </span>
          )}
        </form>
      ) : (
        <p className="muted">Adding and deleting notes needs the operator role.</p>
      )}
      <div className="table-wrap">
        <table className="data" data-testid="annotations-table">
          <thead>
            <tr>
              <th>At (UTC)</th>
              <th>Note</th>
              <th>By</th>
              <th>Written (UTC)</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {notes.length === 0 && <EmptyRow columns={5}>No notes yet.</EmptyRow>}
            {[...notes].reverse().map((a) => (
              <tr key={a.id} data-testid="annotation-row">
                <td className="tabular">{formatUtc(a.at, zone)}</td>
                <td className={styles.noteText}>{a.text}</td>
                <td>{a.author}</td>
                <td className="tabular muted">{formatUtc(a.created_at, zone)}</td>
                <DeleteCell canDelete={operator} onDelete={() => confirm.ask(a)} busy={remove.isPending} quiet testId="annotation-delete" />
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {confirm.dialog}
    </>
  );
}
