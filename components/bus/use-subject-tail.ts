"use client";
import { useState } from "react";
import { useSseFeed } from "@/components/live/use-sse-feed";
import { withTailed, type SubjectTailEvent, type TailedMessage } from "@/lib/bus/subject-tap";
import { links } from "@/lib/links";

export type SubjectTailState = "off" | "live" | "error";

/**
 * One subject's live tail over SSE, newest first, at most TAIL_SHOWN messages (the oldest dropped). Off until
 * started; starting another subject replaces it.
 */
export function useSubjectTail() {
  const [subject, setSubject] = useState<string | null>(null);
  const [messages, setMessages] = useState<TailedMessage[]>([]);
  const feed = useSseFeed<Extract<SubjectTailEvent, { type: "message" }>>({
    onItem: (e) => setMessages((m) => withTailed(m, e.message)),
    skippedNote: (count) => `${count} skipped (over the tail's 20 msg/s)`,
    closedNote: "the tail connection closed (the tap off or not connected?); start it again to reconnect",
  });
  const start = (next: string) => {
    setSubject(next);
    setMessages([]);
    feed.start(links.api.subjectTail(next));
  };
  const state: SubjectTailState = feed.state === "stopped" ? "off" : feed.state;
  return { subject, state, messages, note: feed.note, start, stop: feed.stop };
}
