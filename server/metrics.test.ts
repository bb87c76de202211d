import { describe, expect, it } from "vitest";
import { Hub } from "./hub/hub";
import { createMetrics } from "./metrics";

describe("metrics", () => {
  it("metrics - process metrics follow Prometheus naming: one busdeck_ prefix, no doubled words", async () => {
    const hub = new Hub();
    const text = await createMetrics(hub).registry.metrics();
    hub.close();
    expect(text).toMatch(/^busdeck_process_cpu_user_seconds_total /m);
    expect(text).toMatch(/^busdeck_nodejs_heap_size_used_bytes /m);
    expect(text).not.toMatch(/process_process_|busdeck_process_nodejs_/);
  });
});
