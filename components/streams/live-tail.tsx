"use client";
import { useEffect, useRef, useState } from "react";
import { formatCount } from "@/lib/format";
import type { MessageView } from "@/lib/streams/messages";
import { MessageTable } from "./message-table";
import styles from "./streams.module.css";

/** Rows kept on screen; older ones fall off (the browser above pages through everything). */
const KEEP = 200;

type TailEvent = { type: "message"; message: MessageView } | { type: "skipped"; count: number } | { type: "error"; message: string };

/**
 * New messages as they are stored, newest first. Pause closes the server's consumer; resume continues from the
 * sequence after the last one shown, so a pause leaves no gap (unless the backlog grew too large to replay).
 */
export function LiveTail({ stream, subject }: { stream: string; subject?: string }) {
  const [state, setState] = useState<"off" | "live" | "paused" | "error">("off");
  const [rows, setRows] = useState<MessageView[]>([]);
  const [note, setNote] = useState<string | null>(null);
  const lastSeq = useRef<number | null>(null);
  const es = useRef<EventSource | null>(null);

  const close = () => {
    es.current?.close();
    es.current = null;
  };
  useEffect(() => close, []);
  // A new subject filter is a new tail: start over.
  useEffect(() => {
    close();
    setState("off");
    setRows([]);
    lastSeq.current = null;
  }, [stream, subject]);

  const open = () => {
    close();
    const params = new URLSearchParams();
    if (subject) params.set("subject", subject);
    if (lastSeq.current !== null) params.set("from_seq", String(lastSeq.current + 1));
    const source = new EventSource(`/api/streams/${encodeURIComponent(stream)}/tail?${params}`);
    es.current = source;
    setState("live");
    setNote(null);
    source.onmessage = (msg) => {
      const e = JSON.parse(msg.data) as TailEvent;
      if (e.type === "message") {
        lastSeq.current = e.message.seq;
        setRows((r) => [e.message, ...r].slice(0, KEEP));
      } else if (e.type === "skipped") setNote(`skipped ${formatCount(e.count)} messages stored while paused (too many to replay)`);
      else {
        setNote(e.message);
        setState("error");
        close();
      }
    };
    source.onerror = () => {
      if (es.current !== source) return;
      close();
      setState("error");
      setNote("the tail connection closed; resume to reconnect");
    };
  };

  return (
    <div className="panel" data-testid="live-tail">
      <div className={styles.panelHead}>
        <h2>Live tail</h2>
        <span className="muted">{subject ? `new messages on ${subject}` : "new messages on every subject"}</span>
        <div className={styles.right}>
          <span className="muted tabular" data-testid="tail-state">
            {state === "live" ? "● live" : state === "paused" ? "paused" : state === "error" ? "stopped" : "off"} · {formatCount(rows.length)} shown
          </span>
          {state === "live" ? (
            <button type="button" className="btn" onClick={() => (close(), setState("paused"))} data-testid="tail-pause">Pause</button>
          ) : (
            <button type="button" className="btn" onClick={open} data-testid="tail-start">{state === "off" ? "Start" : "Resume"}</button>
          )}
          <button type="button" className="btn btn-ghost" onClick={() => setRows([])} disabled={rows.length === 0}>Clear</button>
        </div>
      </div>
      {note && <div className={styles.warning}>{note}</div>}
      {state !== "off" && <MessageTable messages={rows} empty={state === "live" ? "Waiting for the next message…" : "Nothing yet."} testId="tail-table" scroll />}
    </div>
  );
}
