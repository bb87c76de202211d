/**
 * The one shape of an API route: `export const GET = route({ params, query, body, role }, (input, ctx) => …)`.
 * route() decodes and validates the input (400 naming the parameter), checks the role (403), runs the handler
 * and maps what it throws to HTTP by class (server/errors.ts). Every response carries an X-Request-Id, and
 * every log line of the request carries the same id.
 */
import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { firstValues } from "../lib/view/search";
import type { AuditAction } from "../lib/audit/records";
import { auditedWrite, refuseWhenReadOnly } from "./audit/operator-write";
import { requestIdentity, type Identity } from "./auth/identity";
import {
  BadRequestError,
  ForbiddenError,
  isNatsError,
  MaskingThreadError,
  NotFoundError,
  TooManyRequestsError,
  UnavailableError,
} from "./errors";
import { logger, type Logger } from "./log";

export const REQUEST_ID_HEADER = "X-Request-Id";

export function badRequest(reason: string): Response {
  return Response.json({ error: "bad_request", reason }, { status: 400 });
}

export function notFound(reason: string, details?: Record<string, unknown>): Response {
  return Response.json({ error: "not_found", reason, ...details }, { status: 404 });
}

export function unavailable(reason: string): Response {
  return Response.json({ error: "unavailable", reason }, { status: 503 });
}

export function forbidden(reason: string): Response {
  return Response.json({ error: "forbidden", reason }, { status: 403 });
}

export function tooMany(err: TooManyRequestsError): Response {
  return Response.json({ error: err.code, reason: err.message }, { status: 429, headers: { "Retry-After": String(err.retryAfterS) } });
}

/** A 204: done, nothing to send back. */
export const noContent = (): Response => new Response(null, { status: 204 });

/** A 201 with the created resource. */
export const created = (body: unknown): Response => Response.json(body, { status: 201 });

/** Names the parameter and the rule it broke, for a 400 a human can act on. */
export function describeIssues(error: z.ZodError, param?: string): string {
  return error.issues
    .map((i) => {
      const path = [param, ...i.path.map(String)].filter(Boolean).join(".");
      return path ? `${path}: ${i.message}` : i.message;
    })
    .join("; ");
}

/** `input` parsed by `schema`, or a BadRequestError naming `param` (or the field at fault). */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, param?: string): z.output<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw new BadRequestError(undefined, describeIssues(r.error, param));
  return r.data;
}

export type Decoded<T> = { ok: true; value: T } | { ok: false; response: Response };

/**
 * A route parameter percent-decoded once more: Next hands segments over decoded, but a name may arrive still
 * encoded (a proxy that re-encodes). `%E0` (or `%25E0`, which Next turns into it) is a 400 naming the
 * parameter, not a URIError and a 500.
 */
export function decodeParam(name: string, raw: string): Decoded<string> {
  try {
    return { ok: true, value: percentDecode(name, raw) };
  } catch (err) {
    return { ok: false, response: badRequest((err as BadRequestError).message) };
  }
}

function percentDecode(name: string, raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new BadRequestError(name, "not valid percent-encoding");
  }
}

/** Every parameter of a route decoded (decodeParam), or the 400 for the first that is not. */
export function decodeParams<K extends string>(params: Record<K, string>): Decoded<Record<K, string>> {
  const out = {} as Record<K, string>;
  for (const [name, raw] of Object.entries(params) as [K, string][]) {
    const d = decodeParam(name, raw);
    if (!d.ok) return d;
    out[name] = d.value;
  }
  return { ok: true, value: out };
}

interface RouteSpecBase {
  /** The path's dynamic segments, percent-decoded before they are parsed. */
  params?: z.ZodType;
  /** The query string (first value of each key). */
  query?: z.ZodType;
  /** The JSON request body. */
  body?: z.ZodType;
  /** The body's text, when it is not plain UTF-8 JSON (e.g. gzipped); throws to refuse it. */
  readBody?: (request: Request) => Promise<string>;
}

/**
 * role "operator": a write only an operator may make (403 otherwise, and always in read-only mode); it is
 * logged with who made it and recorded in the audit trail as `action` before its response is returned.
 */
export type RouteSpec = RouteSpecBase &
  (
    | { role?: undefined; action?: undefined; target?: undefined }
    | {
        role: "operator";
        action: AuditAction;
        /** The audit record's target from the parsed path; default: its `id` segment. */
        target?: (params: unknown) => string;
      }
  );

type Parsed<T> = T extends z.ZodType ? z.output<T> : undefined;

export interface RouteInput<S extends RouteSpec> {
  params: Parsed<S["params"]>;
  query: Parsed<S["query"]>;
  body: Parsed<S["body"]>;
}

export interface RouteContext<S extends RouteSpec = RouteSpec> {
  request: Request;
  /** The caller as the gate decided; non-null on an operator route. */
  identity: S["role"] extends "operator" ? Identity : Identity | null;
  /** This request's logger: its lines carry the request id. */
  log: Logger;
}

/** What Next hands a route handler beside the request. */
type NextContext = { params?: Promise<Record<string, string>> };

/** A handler returns a Response, or a value sent as JSON with status 200. */
export function route<const S extends RouteSpec>(
  spec: S,
  handler: (input: RouteInput<S>, ctx: RouteContext<S>) => unknown,
): (request: Request, next?: NextContext) => Promise<Response> {
  return async (request, next) => {
    const requestId = randomUUID();
    const log = logger.child({ req_id: requestId });
    let response: Response;
    try {
      const params = await parseParams(spec, next);
      if (spec.role) await refuseWhenReadOnly();
      const identity = authorize(spec, request);
      if (spec.role) log.info({ method: request.method, path: new URL(request.url).pathname, user: identity?.user }, "write");
      const input = {
        params,
        query: spec.query ? parseInput(spec.query, firstValues(new URL(request.url).searchParams)) : undefined,
        body: spec.body ? parseInput(spec.body, await readJson(spec, request), "body") : undefined,
      } as RouteInput<S>;
      const run = () => respond(() => handler(input, { request, identity, log } as RouteContext<S>), log, requestId);
      response = spec.role
        ? await auditedWrite({ action: spec.action, identity: identity!, target: (spec.target ?? targetOf)(params) }, run, log)
        : await run();
    } catch (err) {
      response = errorResponse(err, log, requestId);
    }
    return withRequestId(response, requestId);
  };
}

/** The handler's result as a response; what it throws mapped by errorResponse, so the audit sees the status. */
async function respond(handler: () => unknown, log: Logger, requestId: string): Promise<Response> {
  try {
    const result = await handler();
    return result instanceof Response ? result : Response.json(result ?? null);
  } catch (err) {
    return errorResponse(err, log, requestId);
  }
}

/** What an action is about, for the audit trail: the resource id in the path, if any. */
const targetOf = (params: unknown): string => {
  const id = (params as { id?: unknown } | undefined)?.id;
  return typeof id === "string" ? id : "";
};

async function parseParams(spec: RouteSpec, next: NextContext | undefined): Promise<unknown> {
  const raw = (await next?.params) ?? {};
  const decoded = Object.fromEntries(Object.entries(raw).map(([name, value]) => [name, percentDecode(name, value)]));
  return spec.params ? parseInput(spec.params, decoded) : undefined;
}

function authorize(spec: RouteSpec, request: Request): Identity | null {
  const identity = requestIdentity(request);
  if (spec.role !== "operator" || identity?.role === "operator") return identity;
  const who = identity ? `user "${identity.user}" has role ${identity.role}` : "the request is not authenticated";
  throw new ForbiddenError(`this needs role operator; ${who}`);
}

async function readJson(spec: RouteSpec, request: Request): Promise<unknown> {
  try {
    return JSON.parse(spec.readBody ? await spec.readBody(request) : await request.text());
  } catch (err) {
    throw new BadRequestError("body", `not JSON (${(err as Error).message})`);
  }
}

/** What a handler threw, as the response the caller gets: by class, never by name or message. */
export function errorResponse(err: unknown, log: Logger, requestId: string): Response {
  if (err instanceof BadRequestError) return badRequest(err.message);
  if (err instanceof ForbiddenError) return forbidden(err.message);
  if (err instanceof NotFoundError) return notFound(err.message, err.details);
  if (err instanceof TooManyRequestsError) return tooMany(err);
  if (err instanceof UnavailableError) return logged(log, err, unavailable(err.message));
  if (err instanceof MaskingThreadError) return logged(log, err, unavailable(`busdeck: ${err.message}; retry the read`));
  if (isNatsError(err)) return logged(log, err, unavailable(`NATS: ${err.message}`));
  log.error({ err }, "unhandled error");
  return Response.json({ error: "internal", reason: `busdeck failed on this request (request id ${requestId})` }, { status: 500 });
}

function logged(log: Logger, err: Error, response: Response): Response {
  log.warn({ status: response.status, reason: err.message }, "unavailable");
  return response;
}

/** The request id on the response; a response whose headers are frozen is copied first. */
function withRequestId(response: Response, requestId: string): Response {
  try {
    response.headers.set(REQUEST_ID_HEADER, requestId);
    return response;
  } catch {
    const copy = new Response(response.body, response);
    copy.headers.set(REQUEST_ID_HEADER, requestId);
    return copy;
  }
}
