"use client";
import Link, { useCarryTimeWindow } from "@/components/ui/range-link";
import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import { formatBytes, formatCount, formatUtc } from "@/lib/format";
import { links } from "@/lib/links";
import type { MessageView } from "@/lib/streams/messages";
import styles from "./streams.module.css";
import { useDisplayZone } from "@/components/ui/display-zone";
import { EmptyRow } from "@/components/ui/empty-row";

/** Rows of messages with a truncated payload preview; a row opens the message's permalink. `current` marks one row. */
export function MessageTable({
  messages,
  empty,
  testId = "message-table",
  scroll = false,
  current = null,
}: {
  messages: MessageView[];
  empty: string;
  testId?: string;
  scroll?: boolean;
  current?: number | null;
}) {
  const zone = useDisplayZone();
  const router = useRouter();
  const carry = useCarryTimeWindow();
  const currentRow = useRef<HTMLTableRowElement>(null);
  const shown = messages.some((m) => m.seq === current);
  useEffect(() => {
    if (shown) currentRow.current?.scrollIntoView({ block: "center" });
  }, [shown]);
  return (
    <div className={`table-wrap ${scroll ? styles.scrollBox : ""}`}>
      <table className={`data ${styles.msgTable}`} data-testid={testId}>
        <thead>
          <tr>
            <th className="num">Seq</th>
            <th>Stored (UTC)</th>
            <th>Subject</th>
            <th className="num">Size</th>
            <th className="num">Hdrs</th>
            <th>Payload</th>
          </tr>
        </thead>
        <tbody>
          {messages.map((m) => (
            <tr
              key={m.seq}
              ref={m.seq === current ? currentRow : undefined}
              className={m.seq === current ? styles.selected : undefined}
              aria-current={m.seq === current ? "true" : undefined}
              data-testid={`message-row-${m.seq}`}
              onClick={() => router.push(carry(links.message(m.stream, m.seq)))}
              style={{ cursor: "pointer" }}
            >
              <td className="num">
                {m.seq === current && (
                  <span className={styles.currentTag} data-testid="message-current-tag">
                    this message{" "}
                  </span>
                )}
                <Link href={links.message(m.stream, m.seq)} onClick={(e) => e.stopPropagation()} data-testid="message-link">
                  {formatCount(m.seq)}
                </Link>
              </td>
              <td className="tabular">{formatUtc(m.time, zone, true).replace(" UTC", "")}</td>
              <td className="mono">{m.subject}</td>
              <td className="num">{formatBytes(m.size)}</td>
              <td className="num">{m.headers ? Object.keys(m.headers).length : 0}</td>
              <td className={styles.payloadCell} title={m.payload.warning ?? undefined}>
                <span className={styles.kindTag}>{m.payload.kind}</span> {m.payload.warning && <span className="warn-text">⚠ </span>}
                {m.payload.text}
                {m.payload.truncated ? "…" : ""}
              </td>
            </tr>
          ))}
          {messages.length === 0 && <EmptyRow columns={6}>{empty}</EmptyRow>}
        </tbody>
      </table>
    </div>
  );
}
