import { describe, expect, it, vi } from "vitest";

describe("server error classes", () => {
  // Next loads instrumentation (the runtime's services) and the route handlers as separate module instances.
  it("errors - an error from one copy of the module is an instance of the other copy's class", async () => {
    const first = await import("./errors");
    vi.resetModules();
    const second = await import("./errors");
    expect(second, "two module instances").not.toBe(first);
    expect(new first.NotFoundError("gone") instanceof second.NotFoundError).toBe(true);
    expect(new first.MaskingThreadError("exited") instanceof second.MaskingThreadError).toBe(true);
    expect(new first.BadRequestError("seq", "not a number") instanceof second.NotFoundError).toBe(false);
  });
});
