"use client";
import { useState } from "react";

/**
 * Click-drag across a recharts chart to pick a time range: the chart's mouse handlers and the area to shade
 * while dragging. `times` are the x values of the chart's points; `bucketMs` widens the end to cover the last
 * bucket (bar charts). A click without a drag picks nothing.
 */
export function useDragRange(times: readonly number[], onRange: (from: number, to: number) => void, bucketMs = 0) {
  const [drag, setDrag] = useState<{ a: number; b: number } | null>(null);
  const indexOf = (e: { activeTooltipIndex?: unknown } | null | undefined) => {
    const i = Number(e?.activeTooltipIndex);
    return Number.isInteger(i) && i >= 0 && i < times.length ? i : null;
  };
  const handlers = {
    onMouseDown: (e: { activeTooltipIndex?: unknown } | null) => {
      const i = indexOf(e);
      if (i !== null) setDrag({ a: i, b: i });
    },
    onMouseMove: (e: { activeTooltipIndex?: unknown } | null) => {
      const i = indexOf(e);
      if (drag && i !== null && i !== drag.b) setDrag({ ...drag, b: i });
    },
    onMouseUp: () => {
      if (drag && drag.a !== drag.b) onRange(times[Math.min(drag.a, drag.b)]!, times[Math.max(drag.a, drag.b)]! + bucketMs);
      setDrag(null);
    },
    onMouseLeave: () => setDrag(null),
  };
  const area = drag && drag.a !== drag.b ? { x1: times[Math.min(drag.a, drag.b)]!, x2: times[Math.max(drag.a, drag.b)]! } : null;
  return { handlers, area };
}
