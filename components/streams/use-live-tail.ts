"use client";
import { useEffect, useRef, useState } from "react";
import { useSseFeed } from "@/components/live/use-sse-feed";
import type { MessageView } from "@/lib/streams/messages";

/** Rows kept on screen; older ones fall off (the browser above pages through everything). */
const KEEP = 200;

type TailMessage = { type: "message"; message: MessageView };

export type TailState = "off" | "live" | "paused" | "error";

/**
 * A stream's live tail over SSE, newest first. Pause closes the server's consumer; resume continues from the
 * sequence after the last one shown, so a pause leaves no gap (unless the backlog grew too large to replay).
 */
export function useLiveTail(stream: string, subject: string | undefined) {
  const [rows, setRows] = useState<MessageView[]>([]);
  const lastSeq = useRef<number | null>(null);
  const feed = useSseFeed<TailMessage>({
    onItem: (e) => {
      lastSeq.current = e.message.seq;
      setRows((r) => [e.message, ...r].slice(0, KEEP));
    },
    skippedNote: (count) => `skipped ${count} messages stored while paused (too many to replay)`,
    closedNote: "the tail connection closed; resume to reconnect",
  });
  // A new subject filter is a new tail: start over.
  const { reset } = feed;
  useEffect(() => {
    reset();
    setRows([]);
    lastSeq.current = null;
  }, [stream, subject, reset]);

  const open = () => {
    const params = new URLSearchParams();
    if (subject) params.set("subject", subject);
    if (lastSeq.current !== null) params.set("from_seq", String(lastSeq.current + 1));
    feed.start(`/api/streams/${encodeURIComponent(stream)}/tail?${params}`);
  };
  const state: TailState = feed.state === "stopped" ? "paused" : feed.state;
  return { state, rows, note: feed.note, open, pause: feed.stop, clear: () => setRows([]) };
}
