"use client";
import { useRef } from "react";
import { formatCount } from "@/lib/format";

/**
 * A calm line over a live table that holds its order (use-held-order.ts): whether the order is held, how many
 * rows a re-sort would move, and a way to apply it now. Fixed height: its text changes, the table never moves.
 */
export function ResortNote({ held, moved, onApply, testId }: { held: boolean; moved: number; onApply: () => void; testId: string }) {
  // the button goes once applied: focus moves to the note so it stays on the table, which keeps holding
  const note = useRef<HTMLDivElement>(null);
  const apply = () => {
    onApply();
    note.current?.focus();
  };
  return (
    <div ref={note} tabIndex={-1} className="resort-note" data-testid={testId} data-held={held}>
      {held && moved > 0 ? (
        <>
          <span className="tabular">
            re-sort waiting — {formatCount(moved)} {moved === 1 ? "row" : "rows"} moved
          </span>
          <button type="button" className="btn btn-ghost" onClick={apply} data-testid={`${testId}-apply`}>
            apply now
          </button>
        </>
      ) : (
        <span className="muted">{held ? "order held while you read" : "live order"}</span>
      )}
    </div>
  );
}
