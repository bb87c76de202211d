"use client";
/**
 * The one way busdeck asks before deleting something an operator stored (snapshots, notes): a modal <dialog>
 * that names the thing and what is lost, shows the server's refusal in place, and closes only on success.
 * (window.confirm would block the page and can't show an error or style the danger.)
 */
import { useRef, useState, type ReactNode } from "react";

export interface ConfirmDeleteOptions<T> {
  /** "Delete snapshot?" */
  title: string;
  /** What is lost, for the item being deleted. */
  describe: (item: T) => ReactNode;
  /** Starts the delete; call the returned `close` from the mutation's onSuccess. */
  onConfirm: (item: T) => void;
  busy: boolean;
  error: Error | null;
  /** Clears a previous attempt's error when the dialog opens again. */
  reset?: () => void;
}

export function useConfirmDelete<T>(opts: ConfirmDeleteOptions<T>) {
  const ref = useRef<HTMLDialogElement>(null);
  const [item, setItem] = useState<T | null>(null);
  const ask = (next: T) => {
    opts.reset?.();
    setItem(next);
    ref.current?.showModal();
  };
  const close = () => ref.current?.close();
  const dialog = (
    <dialog ref={ref} className="confirm-dialog" aria-label={opts.title} data-testid="delete-dialog">
      <h2>{opts.title}</h2>
      <p>{item !== null && opts.describe(item)} This cannot be undone.</p>
      {opts.error && (
        <p className="error-text" role="alert">
          {opts.error.message}
        </p>
      )}
      <div className="confirm-dialog-buttons">
        <button type="button" className="btn" onClick={close} autoFocus>
          Cancel
        </button>
        <button
          type="button"
          className="btn btn-danger"
          disabled={opts.busy || item === null}
          onClick={() => item !== null && opts.onConfirm(item)}
          data-testid="delete-confirm"
        >
          {opts.busy ? "Deleting…" : "Delete"}
        </button>
      </div>
    </dialog>
  );
  return { ask, close, dialog };
}
