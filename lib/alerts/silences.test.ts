import { describe, expect, it } from "vitest";
import type { Finding } from "../findings/finding";
import { buildSilence, expireSilence, listedSilences, NewSilenceSchema, silenceFor, type Silence } from "./silences";

const T0 = Date.parse("2026-12-07T09:00:00Z");
const finding: Pick<Finding, "id" | "rule"> = { id: "consumer_health:consumer:ORDERS/billing", rule: "consumer_health" };
const silence = (id: string, matcher: Silence["matcher"], minutes: number, at = T0): Silence =>
  buildSilence({ matcher, minutes, reason: "deploy" }, { id, author: "ops", now: at });

describe("silences", () => {
  it("silences - a finding silence mutes that finding only, while it lasts", () => {
    const s = silence("aaaaaaaaaaaaaaaa", { kind: "finding", finding_id: finding.id }, 30);
    expect(silenceFor(finding, [s], T0 + 60_000)).toBe(s);
    expect(silenceFor({ id: "consumer_health:consumer:ORDERS/shipping", rule: "consumer_health" }, [s], T0 + 60_000)).toBeNull();
    expect(silenceFor(finding, [s], T0 + 30 * 60_000)).toBeNull();
  });

  it("silences - a rule silence mutes every finding of the rule and no other rule", () => {
    const s = silence("bbbbbbbbbbbbbbbb", { kind: "rule", rule: "consumer_health" }, 10);
    expect(silenceFor(finding, [s], T0 + 1)).toBe(s);
    expect(silenceFor({ id: "stream_limit:stream:ORDERS", rule: "stream_limit" }, [s], T0 + 1)).toBeNull();
  });

  it("silences - an expired silence no longer mutes, and is listed after the active ones", () => {
    const a = silence("aaaaaaaaaaaaaaaa", { kind: "finding", finding_id: finding.id }, 30);
    const b = silence("bbbbbbbbbbbbbbbb", { kind: "rule", rule: "consumer_health" }, 60);
    const expired = expireSilence(b, T0 + 5 * 60_000);
    expect(silenceFor(finding, [expired], T0 + 6 * 60_000)).toBeNull();
    expect(listedSilences([expired, a], T0 + 6 * 60_000).map((s) => s.id)).toEqual([a.id, b.id]);
    expect(listedSilences([expired], T0 + 26 * 3_600_000)).toEqual([]);
  });

  it("silences - the form's input needs a reason and a duration within a week", () => {
    const ok = { matcher: { kind: "rule", rule: "stream_limit" }, minutes: 60, reason: "maintenance" };
    expect(NewSilenceSchema.safeParse(ok).success).toBe(true);
    expect(NewSilenceSchema.safeParse({ ...ok, reason: "  " }).success).toBe(false);
    expect(NewSilenceSchema.safeParse({ ...ok, minutes: 7 * 24 * 60 + 1 }).success).toBe(false);
    expect(NewSilenceSchema.safeParse({ ...ok, matcher: { kind: "rule", rule: "nope" } }).success).toBe(false);
  });
});
