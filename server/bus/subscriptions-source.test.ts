import { describe, expect, it } from "vitest";
import { SUBSCRIBERS_CONNZ_QUERY } from "../../lib/bus/subject-route";
import { monitorSubscriptions, systemSubscriptions } from "./subscriptions-source";

const CONNZ = {
  server_id: "N1",
  num_connections: 1,
  connections: [{ cid: 3, name: "worker", subscriptions_list_detail: [{ subject: "orders.>" }] }],
};

describe("subscriptions source", () => {
  it("subscriptions source - each monitoring URL read with subscription detail; one answering garbage is that server's error, not the others'", async () => {
    const asked: string[] = [];
    const fakeFetch = (async (url: string) => {
      asked.push(url);
      const body = url.startsWith("http://good") ? JSON.stringify(CONNZ) : "<html>proxy error</html>";
      return new Response(body, { status: url.startsWith("http://good") ? 200 : 502 });
    }) as typeof fetch;
    const read = monitorSubscriptions(["http://good:8222/", "http://bad:8222"], {
      timeoutMs: 1_000,
      names: new Map([["http://good:8222/", "n1"]]),
      fetch: fakeFetch,
    });
    const reading = await read();
    expect(asked).toEqual([`http://good:8222/connz${SUBSCRIBERS_CONNZ_QUERY}`, `http://bad:8222/connz${SUBSCRIBERS_CONNZ_QUERY}`]);
    expect(reading.source).toBe("monitor");
    expect(reading.servers[0]).toMatchObject({ server: "n1", connz: { connections: [{ name: "worker" }] } });
    expect(reading.servers[1]).toMatchObject({
      server: "http://bad:8222",
      error: expect.stringMatching(/^connz subscriptions: .*\(HTTP 502\)$/),
    });
  });

  it("subscriptions source - a system connection not open yet is the reading's error within the wait, not a hung request", async () => {
    const never = new Promise<never>(() => {});
    const reading = await systemSubscriptions(never, { stallMs: 10, maxWaitMs: 50 })();
    expect(reading).toEqual({ source: "system", servers: [], error: "connz subscriptions: the system connection is not open" });
  });
});
