/**
 * Code comments point at docs/ pages, not at the issue or seed document a change came from: a newcomer can open
 * the first and not the second.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const CLEANED = ["app", "components", "lib", "server", "testing", "bench", "scripts", "e2e", "test"];
const SOURCE = /\.(ts|tsx|mjs|cjs|js)$/;
/** "issue 9", "Issue #24", "seed 002", "seed-003": a reference a reader cannot follow. */
const PRIVATE_REFERENCE = /\b(issue #?\d+|seed[ -]00\d)\b/i;

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => SOURCE.test(f))
    .map((f) => join(dir, f));

describe("comment references", () => {
  it("comments - no issue or seed numbers in the code", () => {
    const found = CLEANED.flatMap(sourceFiles)
      .filter((f) => f !== "test/comment-references.test.ts")
      .flatMap((f) =>
        readFileSync(f, "utf8")
          .split("\n")
          .flatMap((line, i) => (PRIVATE_REFERENCE.test(line) ? [`${f}:${i + 1}: ${line.trim()}`] : [])),
      );
    expect(found).toEqual([]);
  });
});
