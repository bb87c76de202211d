/**
 * The servers' subscription lists, read on request for "where does this subject go?": CONNZ with subscription
 * detail over the system account (one reply per server) or each monitoring URL, at most
 * SUBSCRIBER_CONNZ_LIMIT connections per server.
 */
import type { NatsConnection } from "@nats-io/nats-core";
import { describeError } from "../../lib/errors";
import {
  parseSubscriptionsConnz,
  parseSubscriptionsConnzEnvelope,
  SUBSCRIBERS_CONNZ_QUERY,
  SUBSCRIBERS_CONNZ_REQUEST,
  type ObservedSubscriptions,
  type SubscriptionsReading,
} from "../../lib/bus/subject-route";
import { CONFIGURE_HINT } from "../../lib/bus/servers";
import { DEFAULT_PING, pingAll, type PingOptions } from "./system-source";

/** A reading without busdeck's own account, which the caller adds (it knows busdeck's connection). */
export type SubscriptionsSource = () => Promise<Omit<SubscriptionsReading, "account">>;

export const unconfiguredSubscriptions: SubscriptionsSource = async () => ({ source: null, servers: [], configure: CONFIGURE_HINT });

/** `p`'s value, or null when it failed or has not settled within `ms` (a connection still being made). */
export async function settledWithin<T>(p: Promise<T>, ms: number): Promise<T | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ms)));
  try {
    return await Promise.race([p.catch(() => null), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Every server's list from one system-account connection; a failed request is the reading's error. */
export function systemSubscriptions(nc: Promise<NatsConnection>, opts: PingOptions = DEFAULT_PING): SubscriptionsSource {
  return async () => {
    const conn = await settledWithin(nc, opts.maxWaitMs);
    if (!conn) return { source: "system", servers: [], error: "connz subscriptions: the system connection is not open" };
    try {
      const replies = await pingAll(conn, "CONNZ", opts, JSON.stringify(SUBSCRIBERS_CONNZ_REQUEST));
      const servers = replies.flatMap((json): ObservedSubscriptions[] => {
        const parsed = parseSubscriptionsConnzEnvelope(json);
        if (!parsed) return [];
        return [parsed.ok ? { server: parsed.server.name, connz: parsed.data } : { server: parsed.server.name, error: parsed.error }];
      });
      return { source: "system", servers };
    } catch (err) {
      return { source: "system", servers: [], error: `connz subscriptions: ${describeError(err)}` };
    }
  };
}

/** Each monitoring URL's list, named as the servers collector learned it (`names`), else by its URL. */
export function monitorSubscriptions(
  urls: string[],
  opts: { timeoutMs: number; names?: Map<string, string>; fetch?: typeof fetch },
): SubscriptionsSource {
  const get = opts.fetch ?? fetch;
  return async () => {
    const servers = await Promise.all(
      urls.map(async (base): Promise<ObservedSubscriptions> => {
        const server = opts.names?.get(base) ?? base;
        try {
          const res = await get(`${base.replace(/\/+$/, "")}/connz${SUBSCRIBERS_CONNZ_QUERY}`, {
            signal: AbortSignal.timeout(opts.timeoutMs),
          });
          const parsed = parseSubscriptionsConnz(await res.json().catch(() => null));
          return parsed.ok ? { server, connz: parsed.data } : { server, error: `${parsed.error} (HTTP ${res.status})` };
        } catch (err) {
          return { server, error: `connz subscriptions: ${describeError(err)}` };
        }
      }),
    );
    return { source: "monitor", servers };
  };
}
