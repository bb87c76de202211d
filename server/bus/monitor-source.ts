/**
 * The fallback without system credentials: each server's HTTP monitoring endpoints (BUSDECK_MONITOR_URLS).
 * One URL per server; a URL that times out or answers garbage gives that server an error, never the others.
 */
import { describeError } from "../../lib/errors";
import { parseReply, REPLY_KINDS, type ReplyKind } from "../../lib/bus/replies";
import type { ObservedServer } from "../../lib/bus/servers";
import type { ObservedConnz } from "../../lib/bus/connections";
import { connzQuery, parseConnz, type ConnzState } from "../../lib/bus/connz";

export interface MonitorOptions {
  timeoutMs: number;
  fetch?: typeof fetch;
  /** Which server each URL answered as (its VARZ name), shared by the servers and the connections collectors. */
  names?: Map<string, string>;
}

const PATHS: Record<ReplyKind, string> = {
  VARZ: "/varz",
  ROUTEZ: "/routez",
  GATEWAYZ: "/gatewayz",
  LEAFZ: "/leafz",
  JSZ: "/jsz",
  HEALTHZ: "/healthz",
};

/**
 * A collector that remembers which server each URL answered as, so a URL that stops answering still
 * names the server it was (and the server reads stale, then down, instead of appearing twice).
 */
export function createMonitorCollector(urls: string[], opts: MonitorOptions): () => Promise<{ servers: ObservedServer[] }> {
  const nameByUrl = opts.names ?? new Map<string, string>();
  const get = opts.fetch ?? fetch;
  return async () => {
    const servers = await Promise.all(
      urls.map(async (base) => {
        const observed: ObservedServer = {
          key: nameByUrl.get(base) ?? base,
          host: new URL(base).host,
          reachable: false,
          replies: { errors: {} },
        };
        await Promise.all(REPLY_KINDS.map((kind) => readKind(get, base, kind, opts.timeoutMs, observed)));
        const varz = observed.replies.VARZ;
        if (varz) {
          nameByUrl.set(base, varz.server_name);
          Object.assign(observed, { key: varz.server_name, id: varz.server_id, aliases: [base] });
        }
        return observed;
      }),
    );
    return { servers };
  };
}

/** Each URL's `/connz`, open and closed; a server is named as the servers collector last learned (`opts.names`), else by its URL. */
export function createMonitorConnectionsCollector(urls: string[], opts: MonitorOptions): () => Promise<{ servers: ObservedConnz[] }> {
  const get = opts.fetch ?? fetch;
  const states: ConnzState[] = ["open", "closed"];
  return async () => {
    const servers = await Promise.all(
      urls.map(async (base) => {
        const observed: ObservedConnz = { key: opts.names?.get(base) ?? base, url: base, reachable: false, errors: [] };
        await Promise.all(states.map((state) => readConnz(get, base, state, opts.timeoutMs, observed)));
        return observed;
      }),
    );
    return { servers };
  };
}

async function readConnz(get: typeof fetch, base: string, state: ConnzState, timeoutMs: number, into: ObservedConnz): Promise<void> {
  try {
    const res = await get(`${base.replace(/\/+$/, "")}/connz${connzQuery(state)}`, { signal: AbortSignal.timeout(timeoutMs) });
    const text = await res.text();
    into.reachable = true;
    const parsed = parseConnz(state, parseJsonOrNull(text));
    if (parsed.ok) into[state] = parsed.data;
    else into.errors.push(`${parsed.error} (HTTP ${res.status})`);
  } catch (err) {
    into.errors.push(`connz ${state}: ${describeError(err)}`);
  }
}

function parseJsonOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

async function readKind(get: typeof fetch, base: string, kind: ReplyKind, timeoutMs: number, into: ObservedServer): Promise<void> {
  try {
    const res = await get(`${base.replace(/\/+$/, "")}${PATHS[kind]}`, { signal: AbortSignal.timeout(timeoutMs) });
    const text = await res.text();
    into.reachable = true;
    // /healthz answers 503 with a JSON body when unhealthy: still a reading.
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      into.replies.errors[kind] = `${kind.toLowerCase()}: HTTP ${res.status}, not JSON`;
      return;
    }
    const parsed = parseReply(kind, json);
    if (parsed.ok) (into.replies as Record<ReplyKind, unknown>)[kind] = parsed.data;
    else into.replies.errors[kind] = parsed.error;
  } catch (err) {
    into.replies.errors[kind] = `${kind.toLowerCase()}: ${describeError(err)}`;
  }
}
