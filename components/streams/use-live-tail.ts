"use client";
import { useEffect, useRef, useState } from "react";
import { formatCount } from "@/lib/format";
import type { MessageView } from "@/lib/streams/messages";

/** Rows kept on screen; older ones fall off (the browser above pages through everything). */
const KEEP = 200;

type TailEvent = { type: "message"; message: MessageView } | { type: "skipped"; count: number } | { type: "error"; message: string };

export type TailState = "off" | "live" | "paused" | "error";

/**
 * A stream's live tail over SSE, newest first. Pause closes the server's consumer; resume continues from the
 * sequence after the last one shown, so a pause leaves no gap (unless the backlog grew too large to replay).
 */
export function useLiveTail(stream: string, subject: string | undefined) {
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

  const pause = () => {
    close();
    setState("paused");
  };
  return { state, rows, note, open, pause, clear: () => setRows([]) };
}
