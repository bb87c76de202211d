import { afterEach, describe, expect, it, vi } from "vitest";
import { createEventPacer } from "./event-pacer";

describe("event pacer", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const paced = () => {
    vi.useFakeTimers();
    const applied: number[][] = [];
    const pacer = createEventPacer<number>((events) => applied.push([...events]), 50, {
      now: () => Date.now(),
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    });
    return { applied, pacer };
  };

  it("event pacer - an event after a quiet spell is applied at once", () => {
    const { applied, pacer } = paced();
    pacer.push(1);
    expect(applied).toEqual([[1]]);
    vi.advanceTimersByTime(60);
    pacer.push(2);
    expect(applied).toEqual([[1], [2]]);
  });

  it("event pacer - a burst within the interval is applied once at its end, in order", () => {
    const { applied, pacer } = paced();
    pacer.push(1);
    for (let i = 2; i <= 200; i++) pacer.push(i); // 200 frames in the same moment
    expect(applied).toEqual([[1]]);
    vi.advanceTimersByTime(49);
    expect(applied).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(applied).toHaveLength(2);
    expect(applied[1]).toEqual(Array.from({ length: 199 }, (_, i) => i + 2));
  });

  it("event pacer - stop drops the queue and the pending apply", () => {
    const { applied, pacer } = paced();
    pacer.push(1);
    pacer.push(2);
    pacer.stop();
    vi.advanceTimersByTime(100);
    expect(applied).toEqual([[1]]);
  });
});
