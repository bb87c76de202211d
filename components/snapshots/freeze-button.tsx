"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { useIsOperator, useReadOnly } from "@/components/shell/role";
import { closeOnEscape } from "@/components/ui/export-menu";
import { useHydrated } from "@/components/ui/use-hydrated";
import { SNAPSHOT_NAME_MAX, viewOfPath } from "@/lib/review/snapshots";
import styles from "./snapshots.module.css";
import { useFreeze, type FreezeResult } from "./use-freeze";

/** Top-bar action on every freezable view: store what it shows now (optionally named) and offer the permalink. */
export function FreezeButton() {
  const path = usePathname();
  const operator = useIsOperator();
  const readOnly = useReadOnly();
  const freeze = useFreeze();
  // Server-rendered and not yet hydrated, a click reaches no handler and is lost: offer the button once it can act.
  const hydrated = useHydrated();
  const { reset } = freeze;
  // A permalink belongs to the view it was taken on: navigating away clears it.
  useEffect(() => reset(), [path, reset]);
  // A read-only deployment offers no write at all (a viewer sees it disabled, to learn the role it needs).
  if (readOnly || !path || viewOfPath(path) === null) return null;
  const title = operator
    ? "Store the exact data behind this view and get a permalink that never changes"
    : "Freezing a view needs the operator role";
  return (
    <span className={styles.freeze}>
      <button
        type="button"
        className="btn"
        onClick={() => freeze.mutate({})}
        disabled={!hydrated || !operator || freeze.isPending}
        title={title}
        data-testid="freeze-button"
      >
        {freeze.isPending ? "Freezing…" : "Freeze"}
      </button>
      {operator && <FreezeAs disabled={!hydrated || freeze.isPending} onFreeze={(name) => freeze.mutate({ name })} />}
      {freeze.data && <FreezeToast result={freeze.data} onClose={reset} />}
      {freeze.error && (
        <span className={styles.freezeError} role="alert" title={freeze.error.message}>
          {freeze.error.message}
        </span>
      )}
    </span>
  );
}

/** "Freeze as…": the same freeze with a name (an incident id) stored with it. */
function FreezeAs({ disabled, onFreeze }: { disabled: boolean; onFreeze: (name: string) => void }) {
  const details = useRef<HTMLDetailsElement>(null);
  const nameInput = useRef<HTMLInputElement>(null);
  const [name, setName] = useState("");
  const submit = (e: FormEvent) => {
    e.preventDefault();
    details.current?.removeAttribute("open");
    onFreeze(name.trim());
    setName("");
  };
  return (
    <details
      className={`export-menu ${styles.freezeAs}`}
      ref={details}
      data-no-export=""
      onKeyDown={closeOnEscape}
      // autoFocus only acts on mount, and the field mounts with the menu closed: focus it on each opening.
      onToggle={(e) => e.currentTarget.open && nameInput.current?.focus()}
    >
      <summary className="btn" aria-label="Freeze with a name" data-testid="freeze-as">
        ▾
      </summary>
      <form className="export-menu-list" onSubmit={submit}>
        <label className={styles.freezeName}>
          Name (optional, e.g. an incident id)
          <input
            ref={nameInput}
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={SNAPSHOT_NAME_MAX}
            data-testid="freeze-name"
          />
        </label>
        <button type="submit" className="btn" disabled={disabled} data-testid="freeze-named">
          Freeze
        </button>
      </form>
    </details>
  );
}

/** What the freeze did: the permalink with a Copy button, focused and announced so keyboard and screen-reader users hear it. */
function FreezeToast({ result, onClose }: { result: FreezeResult; onClose: () => void }) {
  const heading = useRef<HTMLParagraphElement>(null);
  const [copied, setCopied] = useState(false);
  useEffect(() => heading.current?.focus(), []);
  const url = typeof window === "undefined" ? result.permalink : new URL(result.permalink, window.location.origin).toString();
  const copy = async () => {
    await navigator.clipboard?.writeText(url).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  };
  return (
    <div className={styles.toast} role="status" aria-live="polite" data-testid="freeze-toast" data-no-export="">
      <p ref={heading} tabIndex={-1} className={styles.toastTitle}>
        Frozen{result.name ? ` “${result.name}”` : ""}: this link shows exactly this view, forever
      </p>
      <Link href={result.permalink} className={styles.freezeResult} data-testid="freeze-permalink">
        {url}
      </Link>
      <span className={styles.toastActions}>
        <button type="button" className="btn" onClick={copy} data-testid="freeze-copy">
          {copied ? "Copied" : "Copy link"}
        </button>
        <button type="button" className="btn btn-ghost" onClick={onClose} aria-label="Close">
          ✕
        </button>
      </span>
    </div>
  );
}
