/** Every cross-view link is built here, so permalinks stay stable and views agree on them. */
import { shellStateToSearch } from "./time/range";

const enc = encodeURIComponent;

/** `params` as a record, or a search string a lib/ writer built (`?a=b`, or "" for none). */
const withQuery = (path: string, params?: Record<string, string | number | undefined | null> | string) => {
  if (typeof params === "string") return `${path}${params}`;
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params ?? {})) if (v !== undefined && v !== null && v !== "") q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
};

export const links = {
  streams: (params?: Record<string, string | undefined>) => withQuery("/streams", params),
  stream: (name: string) => `/streams/${enc(name)}`,
  /** The message browser of one stream, optionally positioned (seq, time, subject filter). */
  browse: (stream: string, params?: { seq?: number; start_time?: string; subject?: string; highlight?: number }) =>
    withQuery(`/streams/${enc(stream)}/messages`, params),
  /** Permalink of one stored message; reached from a consumer, it says where the message stands for that consumer. */
  message: (stream: string, seq: number, params?: { consumer?: string }) => withQuery(`/streams/${enc(stream)}/messages/${seq}`, params),
  consumers: (params?: Record<string, string | undefined>) => withQuery("/consumers", params),
  consumer: (stream: string, name: string) => `/consumers/${enc(stream)}/${enc(name)}`,
  /** The outcomes view, filtered by a record or by `outcomeFilterToSearch(filter)`. */
  outcomes: (params?: Record<string, string | undefined> | string) => withQuery("/outcomes", params),
  outcome: (id: string) => `/outcomes/${enc(id)}`,
  /** One error group of a handler (group id: lib/outcomes/fingerprint.ts patternId), optionally from a time on. */
  errorGroup: (handler: string, id: string, params?: { from?: string }) => withQuery(`/outcomes/groups/${enc(handler)}/${enc(id)}`, params),
  /** One handler's page: its counts, latency over the range, error groups and outcomes. */
  handler: (handler: string, params?: { from?: string; to?: string }) => withQuery(`/outcomes/handlers/${enc(handler)}`, params),
  failover: (params?: Record<string, string | undefined>) => withQuery("/failover", params),
  alerts: () => "/alerts",
  busServers: () => "/bus/servers",
  /** One bus server's figures and history charts, by its name in the servers table. */
  busServer: (name: string) => `/bus/servers/${enc(name)}`,
  /** The bus's connections, with `connectionsViewStateToSearch(state)` (lib/bus/connections-search.ts). */
  busConnections: (search?: string) => withQuery("/bus/connections", search ?? ""),
  /** "Where does this subject go?", asked for `subject` (a literal subject or one with wildcards). */
  busSubjects: (subject?: string) => withQuery("/bus/subjects", { subject }),
  /** KV buckets and object stores; `objects` lists that store's objects. */
  busKv: (params?: { objects?: string }) => withQuery("/bus/kv", params),
  /** One bucket's keys, with `kvKeysViewStateToSearch(state)` (lib/bus/kv.ts). */
  busKvBucket: (bucket: string, search?: string) => withQuery(`/bus/kv/${enc(bucket)}`, search ?? ""),
  /** One key's revisions; `rev` selects the revision shown whole. */
  busKvKey: (bucket: string, key: string, params?: { rev?: number }) => withQuery(`/bus/kv/${enc(bucket)}/${enc(key)}`, params),
  /** A lock key's singleton card on the Failover view. */
  singleton: (key: string) => withQuery("/failover", { key }),
  /** JSON endpoints the views read beside the live stream. */
  api: {
    consumerHistory: (stream: string, name: string) => `/api/consumers/${enc(stream)}/${enc(name)}/history`,
    streamHistory: (name: string) => `/api/streams/${enc(name)}/history`,
    errorGroup: (handler: string, id: string, search: string) => `/api/outcomes/groups/${enc(handler)}/${enc(id)}${search}`,
    handler: (handler: string, search: string) => `/api/outcomes/handlers/${enc(handler)}${search}`,
    /** POST: republish one stored message (server/redrive/). */
    redrive: (stream: string, seq: number) => `/api/streams/${enc(stream)}/messages/${seq}/redrive`,
    openFindings: () => "/api/findings?state=open",
    serverHistory: (name: string) => `/api/bus/servers/${enc(name)}/history`,
    subjectRoute: (subject: string) => withQuery("/api/bus/subject-route", { subject }),
    subjectTail: (subject: string) => withQuery("/api/bus/subject-tap/tail", { subject }),
    silences: () => "/api/alerts/silences",
    kvOverview: () => "/api/bus/kv",
    kvKeys: (bucket: string, search: string) => `/api/bus/kv/${enc(bucket)}/keys${search}`,
    kvKey: (bucket: string, key: string, params?: { rev?: number; download?: 1 }) =>
      withQuery(`/api/bus/kv/${enc(bucket)}/keys/${enc(key)}`, params),
    objects: (bucket: string) => `/api/bus/objects/${enc(bucket)}`,
    /** Server-sent events: new revisions of a bucket's keys, with `kvKeysViewStateToSearch(state)`. */
    kvWatch: (bucket: string, search: string) => `/api/bus/kv/${enc(bucket)}/watch${search}`,
    silence: (id: string) => `/api/alerts/silences/${enc(id)}`,
    /** POST: republish a consumer's dead letters in a sequence range (server/redrive/bulk.ts). */
    consumerRedrive: (stream: string, name: string) => `/api/consumers/${enc(stream)}/${enc(name)}/redrive`,
  },
};

/**
 * An internal view link with the time window (range or from/to, and the zone) of the page it is clicked on, so
 * drilling down keeps the window. A link that names its own window keeps it; API and external links are left alone.
 */
export function carryTimeWindow(href: string, currentSearch: string): string {
  if (!href.startsWith("/") || href.startsWith("//") || href.startsWith("/api/")) return href;
  const hashAt = href.indexOf("#");
  const hash = hashAt < 0 ? "" : href.slice(hashAt);
  const beforeHash = hashAt < 0 ? href : href.slice(0, hashAt);
  const queryAt = beforeHash.indexOf("?");
  const path = queryAt < 0 ? beforeHash : beforeHash.slice(0, queryAt);
  const query = queryAt < 0 ? "" : beforeHash.slice(queryAt);
  return `${path}${shellStateToSearch(currentSearch, query)}${hash}`;
}
