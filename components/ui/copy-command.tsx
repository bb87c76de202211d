"use client";
import { useState } from "react";
import styles from "./copy-command.module.css";

/** A shell command as text to read and a Copy button, for people who prefer or must use the CLI. */
export function CopyCommand({ command, label, testId }: { command: string; label: string; testId?: string }) {
  const [copied, setCopied] = useState(false);
  const copy = () =>
    navigator.clipboard?.writeText(command).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  return (
    <div className={styles.command}>
      <code className={styles.text} data-testid={testId}>
        {command}
      </code>
      <button
        type="button"
        className={`btn ${styles.copy}`}
        onClick={copy}
        aria-label={`Copy ${label}`}
        data-testid={testId && `${testId}-copy`}
      >
        {copied ? "Copied" : "Copy"}
      </button>
    </div>
  );
}
