import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const LIB = new URL(".", import.meta.url).pathname;

function libSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return libSources(path);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [path] : [];
  });
}

/** `let`/`var` bindings at a module's top level: state shared by every caller (and every request on the server). */
function moduleLevelMutables(path: string): string[] {
  const source = ts.createSourceFile(path, readFileSync(path, "utf8"), ts.ScriptTarget.Latest);
  return source.statements
    .filter(ts.isVariableStatement)
    .filter((s) => !(s.declarationList.flags & ts.NodeFlags.Const))
    .flatMap((s) => s.declarationList.declarations.map((d) => `${relative(LIB, path)}: ${d.name.getText(source)}`));
}

describe("lib", () => {
  it("lib - no module holds mutable state at its top level", () => {
    expect(libSources(LIB).flatMap(moduleLevelMutables)).toEqual([]);
  });
});
