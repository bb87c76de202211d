/**
 * The one thing busdeck keeps on globalThis. Next loads proxy.ts, instrumentation.ts and the route handlers as
 * separate module instances of the same process, so a module-level variable would exist once per instance;
 * what they must share — the runtime, the gate's signing key, the error classes — lives in this one slot instead.
 */
import type { Runtime } from "./runtime";

const KEY = Symbol.for("busdeck.process");

export interface ProcessShared {
  /** The runtime, once something asked for it (server/runtime.ts getRuntime). */
  runtime?: Promise<Runtime>;
  /** Signs the identity headers the gate sets (server/auth/gate-signature.ts). */
  gateKey?: Buffer;
  /** The server's error classes by name (server/errors.ts), so `instanceof` holds across module instances. */
  errorClasses?: Map<string, unknown>;
}

export function processShared(): ProcessShared {
  const g = globalThis as typeof globalThis & { [KEY]?: ProcessShared };
  return (g[KEY] ??= {});
}
