"use client";
import { useEffect, useState } from "react";
import { useSseFeed } from "@/components/live/use-sse-feed";
import { kvKeysViewStateToSearch, withChange, type KvChange, type KvWatchEvent } from "@/lib/bus/kv";
import { links } from "@/lib/links";

export type KvWatchState = "off" | "live" | "error";

type KvChangeEvent = Extract<KvWatchEvent, { type: "change" }>;

/**
 * A bucket's live watch over SSE (keys starting with `prefix`), newest first, at most KV_WATCH_KEEP changes: the
 * oldest are dropped. Off until started; a new prefix or bucket stops it and clears it.
 */
export function useKvWatch(bucket: string, prefix: string) {
  const [changes, setChanges] = useState<KvChange[]>([]);
  const feed = useSseFeed<KvChangeEvent>({
    onItem: (e) => setChanges((c) => withChange(c, e.change)),
    skippedNote: (count) => `skipped ${count} changes (too many to replay)`,
    closedNote: "the watch connection closed; start it again to reconnect",
  });
  const { reset } = feed;
  useEffect(() => {
    reset();
    setChanges([]);
  }, [bucket, prefix, reset]);

  const state: KvWatchState = feed.state === "stopped" ? "off" : feed.state;
  const start = () => feed.start(links.api.kvWatch(bucket, kvKeysViewStateToSearch({ prefix })));
  return { state, changes, note: feed.note, start, stop: feed.stop };
}
