"use client";
import { useState } from "react";
import { formatBytes } from "@/lib/format";
import type { RenderedPayload } from "@/lib/streams/payload";
import banner from "@/components/ui/warning-banner.module.css";
import styles from "./streams.module.css";

const KIND_LABEL: Record<RenderedPayload["kind"], string> = { json: "JSON", text: "UTF-8 text", binary: "binary (hex)", empty: "empty" };

/** A payload as text (a text node, never HTML), with its kind, any warning, and copy / download; `title` names it (a KV value). */
export function PayloadView({
  payload,
  downloadUrl,
  title = "Payload",
}: {
  payload: RenderedPayload;
  downloadUrl: string;
  title?: string;
}) {
  const [copied, setCopied] = useState<"ok" | "failed" | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(payload.text);
      setCopied("ok");
    } catch {
      setCopied("failed");
    }
    setTimeout(() => setCopied(null), 1500);
  };
  return (
    <div className="panel" data-testid="message-payload">
      <div className={styles.panelHead}>
        <h2>{title}</h2>
        <span className="muted" data-testid="payload-kind">
          {KIND_LABEL[payload.kind]} · {formatBytes(payload.size)}
        </span>
        <div className={`${styles.right} ${styles.payloadActions}`}>
          <button type="button" className="btn" onClick={copy} disabled={payload.kind === "empty"} data-testid="payload-copy">
            {copied === "ok" ? "Copied" : copied === "failed" ? "Copy failed" : "Copy"}
          </button>
          <a className="btn" href={downloadUrl} download data-testid="payload-download">
            Download raw
          </a>
        </div>
      </div>
      {payload.warning && (
        <div className={banner.banner} role="status" data-testid="payload-warning">
          {payload.warning}
        </div>
      )}
      {payload.truncated && (
        <div className={banner.banner} data-testid="payload-truncated">
          Shown in part ({payload.kind === "binary" ? "hex dumps stop at 64 KiB" : "the first 1 Mi characters"} of{" "}
          {formatBytes(payload.size)}); download for the full payload.
        </div>
      )}
      {payload.kind === "empty" ? (
        <div className="empty">No payload.</div>
      ) : (
        <pre className="payload" data-testid="payload-text">
          {payload.text}
        </pre>
      )}
    </div>
  );
}
