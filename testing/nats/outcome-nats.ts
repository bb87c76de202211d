/**
 * The shared set-up of the outcome integration tests: a real nats-server with the outcome history stream, one
 * connection, and ingests that are stopped when the file's tests are done. Call at the top of a describe block;
 * the fields are set once its beforeAll has run.
 */
import { afterAll, beforeAll } from "vitest";
import { connect } from "@nats-io/transport-node";
import type { NatsConnection } from "@nats-io/nats-core";
import { jetstreamManager, type JetStreamManager } from "@nats-io/jetstream";
import type { Hub } from "../../server/hub/hub";
import { startNatsServer, type NatsServerHandle } from "../../server/nats-server-process";
import { createOutcomeIngest, type OutcomeIngest, type OutcomeSubscriberOptions } from "../../server/watchers/outcome-subscriber";

export const OUTCOME_TEST_STREAM = "REFLEX_OUTCOMES";
export const OUTCOME_TEST_PREFIX = "reflex.outcome";

export interface OutcomeNats {
  srv: NatsServerHandle;
  nc: NatsConnection;
  jsm: JetStreamManager;
  /** An ingest on the test stream and prefix (20 ms batches) unless `opts` say otherwise; stopped after all tests. */
  startIngest(hub: Hub, opts?: Partial<OutcomeSubscriberOptions>): OutcomeIngest;
}

export function useOutcomeNats(): OutcomeNats {
  const ingests: OutcomeIngest[] = [];
  const fx = {
    startIngest(hub: Hub, opts: Partial<OutcomeSubscriberOptions> = {}) {
      const ingest = createOutcomeIngest({
        nc: fx.nc,
        jsm: async () => fx.jsm,
        hub,
        prefix: OUTCOME_TEST_PREFIX,
        stream: OUTCOME_TEST_STREAM,
        batchMs: 20,
        ...opts,
      });
      ingests.push(ingest);
      return ingest;
    },
  } as OutcomeNats;
  beforeAll(async () => {
    fx.srv = await startNatsServer();
    fx.nc = await connect({ servers: fx.srv.url });
    fx.jsm = await jetstreamManager(fx.nc);
    await fx.jsm.streams.add({ name: OUTCOME_TEST_STREAM, subjects: [`${OUTCOME_TEST_PREFIX}.>`] });
  });
  afterAll(async () => {
    for (const i of ingests) i.stop();
    await fx.nc?.close();
    await fx.srv?.stop();
  });
  return fx;
}
