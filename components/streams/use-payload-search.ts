"use client";
import { useEffect, useRef, useState } from "react";
import type { MessageView, SearchEvent } from "@/lib/streams/messages";
import type { SearchUrlState } from "@/lib/streams/queries";
import { searchUrl } from "./use-stream-queries";

export interface ScanRun {
  state: "idle" | "running" | "done" | "cancelled" | "error";
  scanned: number;
  matched: number;
  atSeq: number;
  lastSeq: number;
  reason?: string;
  error?: string;
}
const IDLE: ScanRun = { state: "idle", scanned: 0, matched: 0, atSeq: 0, lastSeq: 0 };

const REASON: Record<string, string> = {
  end_of_stream: "reached the end of the stream",
  scan_limit: "reached the scan limit",
  max_matches: "reached the match limit",
};

/**
 * A payload scan on the server (substring or a field predicate), its progress and matches streamed over SSE.
 * Closing the EventSource cancels the scan server-side.
 */
export function usePayloadScan(stream: string, subject: string | undefined) {
  const [run, setRun] = useState<ScanRun>(IDLE);
  const [matches, setMatches] = useState<MessageView[]>([]);
  const es = useRef<EventSource | null>(null);

  useEffect(() => () => es.current?.close(), []);

  const stop = () => {
    es.current?.close();
    es.current = null;
    setRun((r) => (r.state === "running" ? { ...r, state: "cancelled" } : r));
  };

  const begin = (q: Pick<SearchUrlState, "q" | "mode">, scanLimit: string, start: string) => {
    es.current?.close();
    setMatches([]);
    const params = new URLSearchParams({ q: q.q, mode: q.mode, scan_limit: scanLimit });
    if (subject) params.set("subject", subject);
    if (start) params.set("from_seq", start);
    const url = searchUrl(stream, params);
    // EventSource hides a 400's body: the route validates before streaming, and onerror fetches the reason.
    setRun({ state: "running", scanned: 0, matched: 0, atSeq: Number(start) || 0, lastSeq: 0 });
    const source = new EventSource(url);
    es.current = source;
    source.onmessage = (msg) => {
      const e = JSON.parse(msg.data) as SearchEvent;
      if (e.type === "match") setMatches((m) => [...m, e.message]);
      else if (e.type === "progress")
        setRun((r) => ({ ...r, state: "running", scanned: e.scanned, matched: e.matched, atSeq: e.at_seq, lastSeq: e.last_seq }));
      else if (e.type === "done") {
        setRun((r) => ({ ...r, state: "done", scanned: e.scanned, matched: e.matched, atSeq: e.at_seq, reason: REASON[e.reason] }));
        source.close();
      } else if (e.type === "error") {
        setRun((r) => ({ ...r, state: "error", error: e.message }));
        source.close();
      }
    };
    source.onerror = async () => {
      if (es.current !== source || source.readyState === EventSource.OPEN) return;
      source.close();
      // Most likely a 400 (bad predicate or parameter): fetch the reason once to show it.
      const res = await fetch(url).catch(() => null);
      const body = res && !res.ok ? ((await res.json().catch(() => null)) as { reason?: string } | null) : null;
      setRun((r) => (r.state === "running" ? { ...r, state: "error", error: body?.reason ?? "the search stream closed unexpectedly" } : r));
    };
  };

  return { run, matches, begin, stop };
}
