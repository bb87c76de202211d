"use client";
/**
 * The browser's one EventSource. Mounted once in the providers; every event lands in the React Query cache,
 * so views read live data with useLiveTopic() and keep it across navigation.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { usePathname } from "next/navigation";
import { applyFeedEvent, applyState, applyStatePatch, queryKeys, topicsForPath, type SseStatus } from "@/lib/live-cache";
import type { DashboardEvent, FeedTopics, StateTopics, Topic, WireEvent } from "@/lib/topics";
import { ALL_TOPICS, isFeedTopic, unpackEvent } from "@/lib/topics";

/** No event (pings included) for this long means the stream is dead even if the socket looks open. */
const SILENCE_TIMEOUT_MS = 35_000;

export function useLiveEvents(url = "/api/events"): void {
  const qc = useQueryClient();
  useEffect(() => {
    let es: EventSource | null = null;
    let watchdog: ReturnType<typeof setTimeout> | undefined;
    let closed = false;
    const setStatus = (state: SseStatus["state"], resumed = false) =>
      qc.setQueryData<SseStatus>(queryKeys.sse(), (prev) =>
        prev?.state === state && !resumed ? prev : { state, since: Date.now(), resumed },
      );

    const open = () => {
      setStatus("connecting");
      es = new EventSource(url);
      const alive = () => {
        clearTimeout(watchdog);
        watchdog = setTimeout(() => {
          // Silent stream: force a reconnect; EventSource resumes with Last-Event-ID only on its own retries,
          // and the hub resends states anyway, so a fresh connection loses nothing.
          es?.close();
          setStatus("error");
          if (!closed) open();
        }, SILENCE_TIMEOUT_MS);
      };
      es.onopen = () => alive();
      es.addEventListener("ping", alive);
      es.onerror = () => {
        setStatus("error");
      };
      es.onmessage = (msg) => {
        alive();
        let event: DashboardEvent;
        try {
          event = unpackEvent(JSON.parse(msg.data) as WireEvent);
        } catch {
          return; // a broken frame must not take the stream down
        }
        applyEvent(event);
      };
    };

    const applyEvent = (event: DashboardEvent) => {
      switch (event.type) {
        case "hello":
          setStatus("open", event.resumed);
          break;
        case "state":
          qc.setQueryData(queryKeys.live(event.topic), applyState(event.topic, event.data));
          break;
        case "state_patch":
          qc.setQueryData(queryKeys.live(event.topic), (prev: StateTopics[typeof event.topic] | null | undefined) => applyStatePatch(prev, event));
          break;
        case "feed_append":
        case "feed_reset":
          qc.setQueryData(queryKeys.live(event.topic), (prev: FeedTopics[typeof event.topic][] | undefined) =>
            applyFeedEvent(prev, event),
          );
          break;
      }
    };

    open();
    return () => {
      closed = true;
      clearTimeout(watchdog);
      es?.close();
    };
  }, [qc, url]);
}

/** One EventSource for the page, reopened only when the page needs a different set of topics. */
export function LiveEvents() {
  const path = usePathname();
  const topics = topicsForPath(path, ALL_TOPICS).join(",");
  useLiveEvents(`/api/events?topics=${topics}`);
  return null;
}

type TopicValue<T extends Topic> = T extends keyof StateTopics ? StateTopics[T] : T extends keyof FeedTopics ? FeedTopics[T][] : never;

/**
 * A topic's live value, kept current by the SSE stream. State topics come whole in the stream's first events
 * on every connection, so they are never fetched: a fetch too would build, send and parse the same snapshot
 * twice (megabytes at 10,000 consumers). Feeds are fetched first, then the stream appends.
 */
export function useLiveTopic<T extends Topic>(topic: T) {
  const qc = useQueryClient();
  return useQuery<TopicValue<T> | null>({
    queryKey: queryKeys.live(topic),
    queryFn: async () => {
      const res = await fetch(`/api/topics/${topic}`);
      if (!res.ok) throw new Error(`GET /api/topics/${topic}: ${res.status}`);
      const data = await res.json();
      // The SSE stream may have filled the cache while this request was in flight; its data is at least as
      // new as ours, and replacing it would drop feed items it already delivered.
      const streamed = qc.getQueryData<TopicValue<T> | null>(queryKeys.live(topic));
      if (streamed !== undefined && streamed !== null) return streamed;
      // Feeds arrive oldest first from the hub; the cache keeps them newest first.
      return (isFeedTopic(topic) && Array.isArray(data) ? data.reverse() : data) as TopicValue<T>;
    },
    staleTime: Infinity,
    enabled: isFeedTopic(topic),
  });
}

export function useSseStatus(): SseStatus | undefined {
  return useQuery<SseStatus>({
    queryKey: queryKeys.sse(),
    queryFn: () => ({ state: "connecting", since: Date.now(), resumed: false }),
    staleTime: Infinity,
  }).data;
}
