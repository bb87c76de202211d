/**
 * The server's error classes, one module for the layer: services throw them, server/http.ts maps them to HTTP
 * by class. Free of `server-only` so plain Node scripts (tests, benches, the masking thread) can import it.
 */
import {
  AuthorizationError,
  ClosedConnectionError,
  ConnectionError,
  DrainingConnectionError,
  NoRespondersError,
  PermissionViolationError,
  ProtocolError,
  RequestError,
  TimeoutError,
  UserAuthenticationExpiredError,
} from "@nats-io/nats-core";
import { JetStreamApiCodes, JetStreamApiError, JetStreamError } from "@nats-io/jetstream";
import { processShared } from "./process-shared";

/**
 * One class per process, whichever copy of this module loaded first: Next bundles instrumentation (which builds
 * the runtime and its services) apart from the route handlers, so each would otherwise have its own class and an
 * error thrown by a runtime service would fail the route's `instanceof`.
 */
function processWide<C>(name: string, cls: C): C {
  const classes = (processShared().errorClasses ??= new Map<string, unknown>());
  if (!classes.has(name)) classes.set(name, cls);
  return classes.get(name) as C;
}

/** A process-wide error class carrying a message (and a cause), for errors whose class alone says what they mean. */
function messageError(name: string) {
  return processWide(
    name,
    class extends Error {
      constructor(message: string, options?: { cause?: unknown }) {
        super(message, options);
        this.name = name;
      }
    },
  );
}

/** The caller's input broke a rule: a 400 whose reason starts with the parameter it names. */
export const BadRequestError = processWide(
  "BadRequestError",
  class BadRequestError extends Error {
    constructor(
      readonly param: string | undefined,
      readonly reason: string,
    ) {
      super(param ? `${param}: ${reason}` : reason);
      this.name = "BadRequestError";
    }
  },
);
export type BadRequestError = InstanceType<typeof BadRequestError>;

/** What the caller asked for does not exist (or no longer does): a 404. */
export const NotFoundError = processWide(
  "NotFoundError",
  class NotFoundError extends Error {
    constructor(
      message: string,
      /** More fields for the 404's JSON body (e.g. where to look instead). */
      readonly details?: Record<string, unknown>,
    ) {
      super(message);
      this.name = "NotFoundError";
    }
  },
);
export type NotFoundError = InstanceType<typeof NotFoundError>;

/** The caller's role does not allow this: a 403 with the reason. */
export const ForbiddenError = messageError("ForbiddenError");
export type ForbiddenError = InstanceType<typeof ForbiddenError>;

/** A store or NATS is unreachable right now: a 503 with the reason; the caller may retry. */
export const UnavailableError = messageError("UnavailableError");
export type UnavailableError = InstanceType<typeof UnavailableError>;

/** A read whose payload was on a masking thread that failed: the bytes went with it. */
export const MaskingThreadError = processWide(
  "MaskingThreadError",
  class MaskingThreadError extends Error {
    constructor(reason: string) {
      super(`the masking thread failed: ${reason}`);
      this.name = "MaskingThreadError";
    }
  },
);
export type MaskingThreadError = InstanceType<typeof MaskingThreadError>;

/** A predicate that reads a field the redaction rules mask: answering it would reveal what the mask hides. */
export const MaskedFieldPredicateError = processWide(
  "MaskedFieldPredicateError",
  class MaskedFieldPredicateError extends Error {
    constructor(readonly path: string) {
      super(`"${path}" is masked by busdeck's redaction rules, so a search can't select on it (its value is never compared)`);
      this.name = "MaskedFieldPredicateError";
    }
  },
);
export type MaskedFieldPredicateError = InstanceType<typeof MaskedFieldPredicateError>;

/** Bad configuration: start-up stops, naming the variable. */
export const ConfigError = messageError("ConfigError");
export type ConfigError = InstanceType<typeof ConfigError>;

export const NatsServerMissingError = processWide(
  "NatsServerMissingError",
  class NatsServerMissingError extends Error {
    constructor() {
      super(
        "nats-server was not found on PATH or at /usr/sbin/nats-server. " +
          "Install Debian's package: sudo apt-get install -y nats-server (or run `npm run setup`).",
      );
      this.name = "NatsServerMissingError";
    }
  },
);
export type NatsServerMissingError = InstanceType<typeof NatsServerMissingError>;

/** Errors that stop start-up rather than leave a half-working dashboard. */
export const isFatalStartError = (err: unknown): boolean => err instanceof ConfigError || err instanceof NatsServerMissingError;

const NATS_ERROR_CLASSES = [
  AuthorizationError,
  ClosedConnectionError,
  ConnectionError,
  DrainingConnectionError,
  NoRespondersError,
  PermissionViolationError,
  ProtocolError,
  RequestError,
  TimeoutError,
  UserAuthenticationExpiredError,
  JetStreamError,
  JetStreamApiError,
];

/** Anything the NATS client throws: the bus is unavailable for this request. */
export function isNatsError(err: unknown): err is Error {
  return NATS_ERROR_CLASSES.some((cls) => err instanceof cls);
}

/** The server's refusal of a publish by busdeck's NATS user (thrown as is, or as the cause of a request error). */
export function publishPermissionDenied(err: unknown): PermissionViolationError | null {
  const refusal = err instanceof PermissionViolationError ? err : (err as { cause?: unknown } | null)?.cause;
  return refusal instanceof PermissionViolationError && refusal.operation === "publish" ? refusal : null;
}

export function isStreamNotFound(err: unknown): boolean {
  return err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound;
}

/** This module's errors: they already say what the caller gets, so wrappers pass them through. */
const isClassified = (err: unknown) =>
  err instanceof BadRequestError ||
  err instanceof NotFoundError ||
  err instanceof ForbiddenError ||
  err instanceof UnavailableError ||
  err instanceof TooManyRequestsError;

/** Runs `op`; any failure it does not classify itself means `what` is unavailable (a 503 naming it). */
export async function unavailableOnFailure<T>(what: string, op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    if (isClassified(err) || err instanceof MaskingThreadError) throw err;
    throw new UnavailableError(`${what}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

/** `value`, or a NotFoundError with `reason` when there is none. */
export function orNotFound<T>(value: T | null | undefined, reason: string): T {
  if (value === null || value === undefined) throw new NotFoundError(reason);
  return value;
}

/** A per-client or total cap is full: a 429 with the reason and when to retry. */
export const TooManyRequestsError = processWide(
  "TooManyRequestsError",
  class TooManyRequestsError extends Error {
    constructor(
      readonly code: "too_many_connections" | "too_many_scans" | "too_many_redrives",
      reason: string,
      readonly retryAfterS: number,
    ) {
      super(reason);
      this.name = "TooManyRequestsError";
    }
  },
);
export type TooManyRequestsError = InstanceType<typeof TooManyRequestsError>;
