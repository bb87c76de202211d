/** Every cross-view link is built here, so permalinks stay stable and views agree on them. */
const enc = encodeURIComponent;

const withQuery = (path: string, params?: Record<string, string | number | undefined | null>) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params ?? {})) if (v !== undefined && v !== null && v !== "") q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
};

export const links = {
  streams: (params?: Record<string, string | undefined>) => withQuery("/streams", params),
  stream: (name: string) => `/streams/${enc(name)}`,
  /** The message browser of one stream, optionally positioned (seq, time, subject filter). */
  browse: (stream: string, params?: { seq?: number; start_time?: string; subject?: string; highlight?: number }) => withQuery(`/streams/${enc(stream)}/messages`, params),
  /** Permalink of one stored message; reached from a consumer, it says where the message stands for that consumer. */
  message: (stream: string, seq: number, params?: { consumer?: string }) => withQuery(`/streams/${enc(stream)}/messages/${seq}`, params),
  consumers: (params?: Record<string, string | undefined>) => withQuery("/consumers", params),
  consumer: (stream: string, name: string) => `/consumers/${enc(stream)}/${enc(name)}`,
  outcomes: (params?: Record<string, string | undefined>) => withQuery("/outcomes", params),
  outcome: (id: string) => `/outcomes/${enc(id)}`,
  failover: (params?: Record<string, string | undefined>) => withQuery("/failover", params),
  /** JSON endpoints the views read beside the live stream. */
  api: {
    consumerHistory: (stream: string, name: string) => `/api/history/consumers/${enc(stream)}/${enc(name)}`,
    streamHistory: (name: string) => `/api/history/streams/${enc(name)}`,
  },
};
