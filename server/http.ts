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
