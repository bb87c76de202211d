import { describe, expect, it } from "vitest";
import { SseAdmission } from "./sse-admission";

describe("sse admission", () => {
  it("sse admission - caps connections per address and in total, and frees slots on release", () => {
    const a = new SseAdmission({ maxClients: 3, maxPerAddress: 2 });
    const one = a.admit("10.0.0.1");
    const two = a.admit("10.0.0.1");
    expect(one.ok && two.ok).toBe(true);
    const third = a.admit("10.0.0.1");
    expect(third).toMatchObject({ ok: false, reason: expect.stringMatching(/from 10\.0\.0\.1/) });
    expect(a.admit("10.0.0.2").ok).toBe(true);
    expect(a.admit("10.0.0.3")).toMatchObject({ ok: false, reason: expect.stringMatching(/too many live connections \(3\)/) });
    if (one.ok) {
      one.release();
      one.release(); // idempotent: a double release must not free someone else's slot
    }
    expect(a.connections).toBe(2);
    expect(a.admit("10.0.0.1").ok).toBe(true);
    expect(a.admit("10.0.0.4").ok).toBe(false);
  });
});
