/** Small response helpers shared by route handlers. */
import type { z } from "zod";

export function badRequest(reason: string): Response {
  return Response.json({ error: "bad_request", reason }, { status: 400 });
}

export function notFound(reason: string): Response {
  return Response.json({ error: "not_found", reason }, { status: 404 });
}

export function unavailable(reason: string): Response {
  return Response.json({ error: "unavailable", reason }, { status: 503 });
}

/** Names the parameter and the rule it broke, for a 400 a human can act on. */
export function describeIssues(error: z.ZodError, param?: string): string {
  return error.issues
    .map((i) => {
      const path = [param, ...i.path.map(String)].filter(Boolean).join(".");
      return path ? `${path}: ${i.message}` : i.message;
    })
    .join("; ");
}

export type Decoded<T> = { ok: true; value: T } | { ok: false; response: Response };

/**
 * A route parameter percent-decoded once more: Next hands segments over decoded, but a name may arrive still
 * encoded (older Next, a proxy that re-encodes). `%E0` (or `%25E0`, which Next turns into it) is a 400
 * naming the parameter, not a URIError and a 500.
 */
export function decodeParam(name: string, raw: string): Decoded<string> {
  try {
    return { ok: true, value: decodeURIComponent(raw) };
  } catch {
    return { ok: false, response: badRequest(`${name}: not valid percent-encoding`) };
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
