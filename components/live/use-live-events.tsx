"use client";
/**
 * The browser's one EventSource. Mounted once in the providers; every event lands in the React Query cache,
 * so views read live data with useLiveTopic() and keep it across navigation.
 */
import { notifyManager, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { usePathname } from "next/navigation";
import { useHydrated } from "@/components/ui/use-hydrated";
import {
  EARLY_SSE_GLOBAL,
  applyFeedEvent,
  applyState,
  applyStatePatch,
  eventsUrlForPath,
  queryKeys,
  type EarlySse,
  type SseStatus,
} from "@/lib/wire/live-cache";
import type { DashboardEvent, FeedTopics, StateTopics, Topic, WireEvent } from "@/lib/wire/topics";
import { isFeedTopic, unpackEvent } from "@/lib/wire/topics";
import { createEventPacer } from "@/lib/wire/event-pacer";

/** No event (pings included) for this long means the stream is dead even if the socket looks open. */
const SILENCE_TIMEOUT_MS = 35_000;
/** The cache takes the stream's events at most this often (each time a render of the views reading them). */
const APPLY_EVERY_MS = 50;

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
      const early = adoptEarly(url);
      es = early?.es ?? new EventSource(url);
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
      const receive = (data: string) => {
        alive();
        let event: DashboardEvent;
        try {
          event = unpackEvent(JSON.parse(data) as WireEvent);
        } catch {
          return; // a broken frame must not take the stream down
        }
        pacer.push(event);
      };
      es.onmessage = (msg) => receive(msg.data);
      // The boot script's stream: what it received before now, in order (no message can arrive in between).
      if (early?.opened) alive();
      for (const data of early?.messages ?? []) receive(data);
    };

    // A flood's frames (the hub sends feed items as they arrive) are applied together, in one render.
    const pacer = createEventPacer<DashboardEvent>(
      (events) => notifyManager.batch(() => events.forEach((event) => applyEvent(event))),
      APPLY_EVERY_MS,
    );
    const applyEvent = (event: DashboardEvent) => {
      switch (event.type) {
        case "hello":
          setStatus("open", event.resumed);
          break;
        case "state":
          qc.setQueryData(queryKeys.live(event.topic), applyState(event.topic, event.data));
          break;
        case "state_patch":
          qc.setQueryData(queryKeys.live(event.topic), (prev: StateTopics[typeof event.topic] | null | undefined) =>
            applyStatePatch(prev, event),
          );
          break;
        case "feed_append":
        case "feed_reset":
          qc.setQueryData(queryKeys.live(event.topic), (prev: FeedTopics[typeof event.topic][] | undefined) => applyFeedEvent(prev, event));
          break;
      }
    };

    open();
    return () => {
      closed = true;
      clearTimeout(watchdog);
      pacer.stop();
      es?.close();
    };
  }, [qc, url]);
}

/**
 * The EventSource the document's boot script opened (earlyEventSourceScript), once: taken when it is for this
 * URL and still usable, closed otherwise.
 */
function adoptEarly(url: string): EarlySse | null {
  const w = window as unknown as Record<string, EarlySse | undefined>;
  const early = w[EARLY_SSE_GLOBAL];
  if (!early) return null;
  delete w[EARLY_SSE_GLOBAL];
  if (early.url === url && early.es.readyState !== EventSource.CLOSED) return early;
  early.es.close();
  return null;
}

/** One EventSource for the page, reopened only when the page needs a different set of topics. */
export function LiveEvents() {
  useLiveEvents(eventsUrlForPath(usePathname()));
  return null;
}

type TopicValue<T extends Topic> = T extends keyof StateTopics ? StateTopics[T] : T extends keyof FeedTopics ? FeedTopics[T][] : never;

/**
 * A topic's live value, kept current by the SSE stream. State topics come whole in the stream's first events
 * on every connection, so they are never fetched: a fetch too would build, send and parse the same snapshot
 * twice. Feeds are fetched first, then the stream appends. Nothing while the
 * page hydrates (useHydrated): the stream may have filled the cache before a Suspense boundary hydrates (the boot
 * script opens it early), and data rendered then would not match the server's HTML; the value right after.
 */
export function useLiveTopic<T extends Topic>(topic: T): { data: TopicValue<T> | null | undefined } {
  const hydrated = useHydrated();
  const { data } = useLiveQuery(topic);
  return { data: hydrated ? data : undefined };
}

function useLiveQuery<T extends Topic>(topic: T) {
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
