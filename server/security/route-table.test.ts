import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(__dirname, "..", "..");
const APP = join(ROOT, "app");
const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

/** Every page and route handler under app/, as `route METHOD` (pages answer GET). */
function routesInApp(dir = APP): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return routesInApp(path);
    const url = "/" + relative(APP, dir).split(sep).filter(Boolean).join("/");
    if (entry.name === "page.tsx") return [`${url} GET`];
    if (entry.name !== "route.ts") return [];
    const source = readFileSync(path, "utf8");
    const exported = HTTP_METHODS.filter((m) => new RegExp(`export\\s+(?:async\\s+function|function|const)\\s+${m}\\b`).test(source));
    return exported.map((m) => `${url} ${m}`);
  });
}

/** The rows of docs/security.md's route table, as `route METHOD`. */
function routesInDocs(): string[] {
  const doc = readFileSync(join(ROOT, "docs", "security.md"), "utf8");
  return doc
    .split("\n")
    .map((line) => /^\| `([^`]+)` \| ([A-Z, ]+) \|/.exec(line))
    .flatMap((m) => (m ? m[2]!.split(",").map((method) => `${m[1]} ${method.trim()}`) : []));
}

describe("security route table", () => {
  it("security route table - docs/security.md lists every page and route handler method, and nothing else", () => {
    const inApp = routesInApp().sort();
    const inDocs = routesInDocs().sort();
    expect(inApp.length).toBeGreaterThan(30);
    expect(inDocs).toEqual(inApp);
  });
});
