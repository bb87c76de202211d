import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const LIB = new URL(".", import.meta.url).pathname;

function libSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return libSources(path);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [path] : [];
  });
}

/**
 * `let`/`var` bindings at a module's top level (Prettier puts top-level statements at column 0): state shared by
 * every caller, and by every request on the server.
 */
function moduleLevelMutables(path: string): string[] {
  const bindings = readFileSync(path, "utf8").matchAll(/^(?:export )?(?:let|var) +([\w$]+)/gm);
  return [...bindings].map((m) => `${relative(LIB, path)}: ${m[1]}`);
}

describe("lib", () => {
  it("lib - no module holds mutable state at its top level", () => {
    expect(libSources(LIB).flatMap(moduleLevelMutables)).toEqual([]);
  });
});
