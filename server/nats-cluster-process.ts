/**
 * A local 3-node JetStream cluster: three `nats-server` processes on loopback, routed to each other, each
 * started through the one launcher (startNatsServer, via its `extraConfig`). For integration tests of RAFT
 * leadership (kill the node leading a stream, see the election) and for a clustered embedded default.
 */
import { freePort, randomSecret, startNatsServer, type NatsServerHandle, type SystemUser } from "./nats-server-process";

export interface NatsClusterHandle {
  nodes: NatsServerHandle[];
  /** Every node's client URL, for a connection that survives any single node. */
  urls: string[];
  /** server_name of each node, as JetStream reports leaders. */
  names: string[];
  /** The system account's user, the same on every node. */
  system?: SystemUser;
  /** The node whose server_name is given (e.g. a stream's cluster.leader). */
  node(name: string): NatsServerHandle | undefined;
  stop(): Promise<void>;
}

export interface NatsClusterOptions {
  size?: number;
  clusterName?: string;
  /** How long to wait for the JetStream meta leader to be elected. */
  readyTimeoutMs?: number;
}

export async function startNatsCluster(opts: NatsClusterOptions = {}): Promise<NatsClusterHandle> {
  const size = opts.size ?? 3;
  const name = opts.clusterName ?? "busdeck";
  const routePorts: number[] = [];
  for (let i = 0; i < size; i++) routePorts.push(await freePort());
  const routes = routePorts.map((p) => `nats-route://127.0.0.1:${p}`).join(", ");
  const systemPassword = randomSecret();
  const started = await Promise.allSettled(
    routePorts.map((port) =>
      startNatsServer({
        extraConfig: `cluster { name: ${name}, listen: "127.0.0.1:${port}", routes: [${routes}] }`,
        readyTimeoutMs: opts.readyTimeoutMs,
        systemPassword,
      }),
    ),
  );
  const nodes = started.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
  const stop = async () => void (await Promise.all(nodes.map((n) => n.stop())));
  const failed = started.find((s) => s.status === "rejected");
  if (failed) {
    await stop();
    throw (failed as PromiseRejectedResult).reason;
  }
  // server_name is set by the launcher from the client port.
  const names = nodes.map((n) => `busdeck-${n.ports.client}`);
  try {
    await waitForMetaLeader(nodes[0]!.monitorUrl, opts.readyTimeoutMs ?? 20_000, size);
  } catch (err) {
    await stop();
    throw err;
  }
  return { nodes, urls: nodes.map((n) => n.url), names, system: nodes[0]!.system, node: (n) => nodes[names.indexOf(n)], stop };
}

/** JetStream answers in a cluster only once the meta group has a leader and every peer has joined. */
async function waitForMetaLeader(monitorUrl: string, timeoutMs: number, size: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    try {
      const jsz = (await (await fetch(`${monitorUrl}/jsz`)).json()) as {
        meta_cluster?: { leader?: string; cluster_size?: number; replicas?: unknown[] };
      };
      last = JSON.stringify(jsz.meta_cluster ?? {});
      // Only the leader lists its replicas; any node knows the leader and the group size.
      if (jsz.meta_cluster?.leader && (jsz.meta_cluster.cluster_size ?? 0) >= size) return;
    } catch {
      // not answering yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`JetStream cluster had no meta leader within ${timeoutMs} ms (last /jsz meta: ${last})`);
}
