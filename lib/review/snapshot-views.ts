/**
 * The freezable views and what a freeze captures in the browser: the part of lib/review/snapshots.ts that every page's
 * bundle holds (the Freeze button is in the layout). Apart from the document schemas, which only the server and
 * the snapshot pages use: importing them put classic zod in the layout's shared chunk, compiled and run before
 * any page hydrates. Pure.
 */
import { VIEW_DATA_TOPICS } from "../wire/live-cache";
import { whenReady } from "../time/wait";

/** One React Query cache entry the view read: its key and its data (lib/review/snapshots.ts's QueryEntrySchema validates it). */
export interface CapturedQuery {
  key: unknown[];
  data: unknown;
}

// ---------------------------------------------------------------------------------------------- views

/** The views that can be frozen, with what identifies the thing they show. */
export type FrozenViewRef =
  | { kind: "streams" }
  | { kind: "stream"; name: string }
  | { kind: "consumers" }
  | { kind: "consumer"; stream: string; name: string }
  | { kind: "outcomes" }
  | { kind: "outcome"; id: string }
  | { kind: "error_group"; handler: string; id: string }
  | { kind: "handler"; handler: string }
  | { kind: "message"; stream: string; seq: number }
  | { kind: "failover" };

export const VIEW_KINDS = [
  "streams",
  "stream",
  "consumers",
  "consumer",
  "outcomes",
  "outcome",
  "error_group",
  "handler",
  "message",
  "failover",
] as const satisfies readonly FrozenViewRef["kind"][];

const decodeSegment = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
};

/** Which view a path shows, or null when the page cannot be frozen (message browser, the snapshot pages themselves). */
export function viewOfPath(path: string): FrozenViewRef | null {
  const parts = path.split("?")[0].split("/").filter(Boolean).map(decodeSegment);
  if (parts.some((p) => p === null || p === "")) return null;
  const [root, a, b, c, d, ...rest] = parts as string[];
  if (rest.length > 0) return null;
  switch (root) {
    case "streams":
      if (a === undefined) return { kind: "streams" };
      if (b === undefined) return { kind: "stream", name: a };
      return b === "messages" && c !== undefined && d === undefined && /^[1-9]\d{0,15}$/.test(c)
        ? { kind: "message", stream: a, seq: Number(c) }
        : null;
    case "consumers":
      if (a === undefined) return { kind: "consumers" };
      return b !== undefined && c === undefined ? { kind: "consumer", stream: a, name: b } : null;
    case "outcomes":
      if (a === undefined) return { kind: "outcomes" };
      if (a === "groups") return b !== undefined && c !== undefined && d === undefined ? { kind: "error_group", handler: b, id: c } : null;
      if (a === "handlers") return b !== undefined && c === undefined ? { kind: "handler", handler: b } : null;
      return b === undefined ? { kind: "outcome", id: a } : null;
    case "failover":
      return a === undefined ? { kind: "failover" } : null;
    default:
      return null;
  }
}

/** "Consumer ORDERS › billing" — the heading of a snapshot in lists and banners. */
export function viewTitle(ref: FrozenViewRef): string {
  switch (ref.kind) {
    case "streams":
      return "Streams";
    case "stream":
      return `Stream ${ref.name}`;
    case "consumers":
      return "Consumer lag";
    case "consumer":
      return `Consumer ${ref.stream} › ${ref.name}`;
    case "outcomes":
      return "Reflex outcomes";
    case "outcome":
      return `Outcome ${ref.id}`;
    case "error_group":
      return `Error group ${ref.handler} › ${ref.id}`;
    case "handler":
      return `Handler ${ref.handler}`;
    case "message":
      return `Message ${ref.stream} #${ref.seq}`;
    case "failover":
      return "Failover";
  }
}

// ---------------------------------------------------------------------------------------------- capture

/** The cache entries a frozen view needs: those with data that a mounted component reads right now. */
export function selectFrozenQueries(entries: { key: readonly unknown[]; data: unknown; observers: number }[]): CapturedQuery[] {
  return entries
    .filter((e) => e.observers > 0 && e.data !== undefined && !isTransportKey(e.key))
    .map((e) => ({ key: [...e.key], data: e.data }));
}

/** A query cache as whenViewDataArrived reads it (react-query's QueryCache is one). */
export interface WatchedQueryCache {
  getAll(): { queryKey: readonly unknown[]; state: { data: unknown }; getObserversCount(): number }[];
  subscribe(listener: () => void): () => void;
}

/**
 * Resolves once every live topic the open view reads has data, or after `timeoutMs` (a topic may never come):
 * a freeze clicked right after a page loaded, while the consumers view still showed the server's first screen,
 * stored the view without its rows.
 */
export function whenViewDataArrived(cache: WatchedQueryCache, timeoutMs: number): Promise<void> {
  const arrived = () =>
    !cache
      .getAll()
      .some(
        (q) =>
          q.queryKey[0] === "live" &&
          VIEW_DATA_TOPICS.includes(q.queryKey[1] as never) &&
          q.getObserversCount() > 0 &&
          q.state.data === undefined,
      );
  return whenReady(arrived, (onChange) => cache.subscribe(onChange), timeoutMs);
}

/** ["live", "_sse"] is the EventSource's own status, not data the view shows. */
const isTransportKey = (key: readonly unknown[]) => key[0] === "live" && typeof key[1] === "string" && key[1].startsWith("_");
