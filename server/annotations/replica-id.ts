import "server-only";
import { randomBytes } from "node:crypto";

/**
 * Names one running dashboard for the echo rule: the fleet holder id (pod name or host:pid) plus a random
 * part, so two runtimes in one process (the integration test) are told apart too.
 */
export const replicaInstanceId = (holderId: string) => `${holderId}#${randomBytes(4).toString("hex")}`;
