"use client";
import { useEffect, useRef, useState } from "react";
import { formatCount } from "@/lib/format";
import { withTailed, type SubjectTailEvent, type TailedMessage } from "@/lib/bus/subject-tap";
import { links } from "@/lib/links";

export type SubjectTailState = "off" | "live" | "error";

/**
 * One subject's live tail over SSE, newest first, at most TAIL_SHOWN messages (the oldest dropped). Off until
 * started; starting another subject replaces it.
 */
export function useSubjectTail() {
  const [subject, setSubject] = useState<string | null>(null);
  const [state, setState] = useState<SubjectTailState>("off");
  const [messages, setMessages] = useState<TailedMessage[]>([]);
  const [skipped, setSkipped] = useState(0);
  const [note, setNote] = useState<string | null>(null);
  const es = useRef<EventSource | null>(null);
  const close = () => {
    es.current?.close();
    es.current = null;
  };
  useEffect(() => close, []);

  const start = (next: string) => {
    close();
    setSubject(next);
    setMessages([]);
    setSkipped(0);
    setNote(null);
    setState("live");
    const source = new EventSource(links.api.subjectTail(next));
    es.current = source;
    source.onmessage = (msg) => {
      const e = JSON.parse(msg.data) as SubjectTailEvent;
      if (e.type === "message") setMessages((m) => withTailed(m, e.message));
      else if (e.type === "skipped") setSkipped((n) => n + e.count);
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
      setNote("the tail connection closed (the tap off or not connected?); start it again to reconnect");
    };
  };
  const stop = () => {
    close();
    setState("off");
  };
  const skippedNote = skipped > 0 ? `${formatCount(skipped)} skipped (over the tail's 20 msg/s)` : null;
  return { subject, state, messages, note: note ?? skippedNote, start, stop };
}
