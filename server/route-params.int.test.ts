/**
 * Every API route with a dynamic segment answers an undecodable one (`%E0`, which is what `%25E0` in a URL
 * reaches the handler as) with a 400 naming the parameter — found by walking app/, so a new route is covered
 * the day it is added.
 */
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { ROLE_HEADER, USER_HEADER } from "../lib/security/auth";

const APP = join(import.meta.dirname, "..", "app");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

type Handler = (request: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

function dynamicRouteFiles(): { file: string; params: string[] }[] {
  return (readdirSync(APP, { recursive: true }) as string[])
    .filter((f) => /(^|\/)route\.ts$/.test(f))
    .map((f) => ({ file: f, params: [...f.matchAll(/\[(\w+)\]/g)].map((m) => m[1]!) }))
    .filter((r) => r.params.length > 0);
}

describe("undecodable route parameters", () => {
  const routes = dynamicRouteFiles();

  it("route params - the walk finds the dynamic API routes", () => {
    expect(routes.length).toBeGreaterThanOrEqual(13);
    expect(routes.map((r) => r.file)).toContain(relative(APP, join(APP, "api/streams/[name]/tail/route.ts")));
  });

  it.each(routes)("route params - $file answers 400 naming the parameter", async ({ file, params }) => {
    const mod = (await import(join(APP, file))) as Partial<Record<(typeof METHODS)[number], Handler>>;
    const methods = METHODS.filter((m) => typeof mod[m] === "function");
    expect(methods.length).toBeGreaterThan(0);
    for (const method of methods) {
      for (const bad of params) {
        const values = Object.fromEntries(params.map((p) => [p, p === bad ? "%E0" : "1"]));
        // An operator, so operator-only routes get as far as their parameters.
        const request = new Request(`http://busdeck.test/${file}`, {
          method,
          headers: { [ROLE_HEADER]: "operator", [USER_HEADER]: "tester" },
        });
        const response = await mod[method]!(request, { params: Promise.resolve(values) });
        expect({ method, param: bad, status: response.status }).toEqual({ method, param: bad, status: 400 });
        expect((await response.json()).reason).toMatch(new RegExp(`^${bad}: `));
      }
    }
  });
});
