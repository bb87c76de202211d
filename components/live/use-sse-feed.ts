"use client";
import { useCallback, useEffect, useRef, useState } from "react";
import { formatCount } from "@/lib/format";

/** What every one-off SSE feed (a stream's tail, a KV watch) may send besides its own items. */
export type FeedControl = { type: "skipped"; count: number } | { type: "error"; message: string };

export type FeedState = "off" | "live" | "stopped" | "error";

const isControl = (e: { type: string }): e is FeedControl => e.type === "skipped" || e.type === "error";

/**
 * One EventSource opened on demand: its items go to `onItem`, a "skipped" event and a server error become the
 * note, a dropped connection is an error with `closedNote`. Stopping closes it (the server ends its consumer);
 * `reset` also forgets the state, for a new subject or bucket. At most one connection is open at a time.
 */
export function useSseFeed<Item extends { type: string }>({
  onItem,
  skippedNote,
  closedNote,
}: {
  onItem: (item: Item) => void;
  /** What to say when the server skipped `count` items (in all, since the feed started) it could not send. */
  skippedNote: (count: string) => string;
  closedNote: string;
}) {
  const [state, setState] = useState<FeedState>("off");
  const [note, setNote] = useState<string | null>(null);
  const source = useRef<EventSource | null>(null);
  // Skipped items add up over one connection: the note says how many in all.
  const skipped = useRef(0);
  // The newest handler, so an open connection never calls one from an older render.
  const handle = useRef(onItem);
  handle.current = onItem;

  const close = useCallback(() => {
    source.current?.close();
    source.current = null;
  }, []);
  useEffect(() => close, [close]);

  const start = (url: string) => {
    close();
    const es = new EventSource(url);
    source.current = es;
    skipped.current = 0;
    setState("live");
    setNote(null);
    es.onmessage = (msg) => {
      const e = JSON.parse(msg.data) as Item | FeedControl;
      if (!isControl(e)) handle.current(e as Item);
      else if (e.type === "skipped") setNote(skippedNote(formatCount((skipped.current += e.count))));
      else {
        setNote(e.message);
        setState("error");
        close();
      }
    };
    es.onerror = () => {
      if (source.current !== es) return;
      close();
      setState("error");
      setNote(closedNote);
    };
  };
  const stop = () => {
    close();
    setState("stopped");
  };
  const reset = useCallback(() => {
    close();
    setState("off");
    setNote(null);
  }, [close]);
  return { state, note, start, stop, reset };
}
