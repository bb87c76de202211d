"use client";
import { useEffect, useRef, useState } from "react";
import { formatCount } from "@/lib/format";
import { kvKeysViewStateToSearch, withChange, type KvChange, type KvWatchEvent } from "@/lib/bus/kv";
import { links } from "@/lib/links";

export type KvWatchState = "off" | "live" | "error";

/**
 * A bucket's live watch over SSE (keys starting with `prefix`), newest first, at most KV_WATCH_KEEP changes: the
 * oldest are dropped. Off until started; a new prefix or bucket stops it and clears it.
 */
export function useKvWatch(bucket: string, prefix: string) {
  const [state, setState] = useState<KvWatchState>("off");
  const [changes, setChanges] = useState<KvChange[]>([]);
  const [note, setNote] = useState<string | null>(null);
  const es = useRef<EventSource | null>(null);
  const close = () => {
    es.current?.close();
    es.current = null;
  };
  useEffect(() => close, []);
  useEffect(() => {
    close();
    setState("off");
    setChanges([]);
    setNote(null);
  }, [bucket, prefix]);

  const start = () => {
    close();
    const source = new EventSource(links.api.kvWatch(bucket, kvKeysViewStateToSearch({ prefix })));
    es.current = source;
    setState("live");
    setNote(null);
    source.onmessage = (msg) => {
      const e = JSON.parse(msg.data) as KvWatchEvent;
      if (e.type === "change") setChanges((c) => withChange(c, e.change));
      else if (e.type === "skipped") setNote(`skipped ${formatCount(e.count)} changes (too many to replay)`);
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
      setNote("the watch connection closed; start it again to reconnect");
    };
  };
  const stop = () => {
    close();
    setState("off");
  };
  return { state, changes, note, start, stop };
}
