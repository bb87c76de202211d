import { describe, expect, it } from "vitest";
import type { AuditRecord } from "./records";
import { auditRows } from "./records";
import { auditApiQuery, auditFiltersToSearch, parseAuditFilters } from "./search-params";

const rec = (over: Partial<AuditRecord>): AuditRecord => ({
  id: "a",
  phase: "attempt",
  at: "2026-12-07T10:00:00.000Z",
  user: "ann",
  role: "operator",
  replica: "r1",
  action: "note.add",
  target: "",
  ...over,
});

describe("audit rows", () => {
  it("audit rows - attempts joined with their results, newest first; an attempt without a result reads 'unknown'", () => {
    const rows = auditRows([
      rec({ id: "a" }),
      rec({ id: "a", phase: "result", at: "2026-12-07T10:00:01.000Z", target: "n1", status: 201 }),
      rec({ id: "b", at: "2026-12-07T11:00:00.000Z", action: "snapshot.delete", target: "s1" }),
      rec({ id: "b", phase: "result", at: "2026-12-07T11:00:01.000Z", target: "s1", status: 404, reason: "no snapshot s1" }),
      rec({ id: "c", at: "2026-12-07T09:00:00.000Z", user: "bob" }),
    ]);
    expect(rows.map((r) => [r.id, r.target, r.result, r.status, r.reason])).toEqual([
      ["b", "s1", "refused", 404, "no snapshot s1"],
      ["a", "n1", "ok", 201, null],
      ["c", "", "unknown", null, null],
    ]);
  });

  it("audit rows - filtered by user and action", () => {
    const records = [rec({ id: "a" }), rec({ id: "b", user: "bob" }), rec({ id: "c", action: "snapshot.create" })];
    expect(auditRows(records, { user: "bob" }).map((r) => r.id)).toEqual(["b"]);
    expect(auditRows(records, { action: "snapshot.create" }).map((r) => r.id)).toEqual(["c"]);
  });

  it("audit rows - filters round-trip through the URL and become the API query with the absolute range", () => {
    const f = parseAuditFilters(new URLSearchParams("user=ann&action=note.add&range=1h"));
    expect(f).toEqual({ user: "ann", action: "note.add" });
    expect(auditFiltersToSearch(f)).toBe("?user=ann&action=note.add");
    expect(auditFiltersToSearch({ user: "", action: "" })).toBe("");
    expect(auditApiQuery(f, { from: 0, to: 60_000 })).toBe(
      "/api/audit?from=1970-01-01T00%3A00%3A00.000Z&to=1970-01-01T00%3A01%3A00.000Z&user=ann&action=note.add",
    );
  });
});
