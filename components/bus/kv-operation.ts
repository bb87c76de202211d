import type { Tone } from "@/components/ui/status-pill";
import type { KvOperation } from "@/lib/bus/kv";

/** A revision's operation by colour as well as its label: a write, a delete, a purge. */
export const OPERATION_TONE: Record<KvOperation, Tone> = { PUT: "ok", DEL: "warn", PURGE: "bad" };
