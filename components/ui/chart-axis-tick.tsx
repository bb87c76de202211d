"use client";
import { useLayoutEffect, useRef, useState } from "react";

/** What recharts hands a custom axis tick (the subset used here). */
export interface AxisTickProps {
  x?: number;
  y?: number;
  payload?: { value: unknown };
  index?: number;
  tickFormatter?: (value: never, index: number) => string;
  textAnchor?: "start" | "middle" | "end" | "inherit";
  verticalAnchor?: "start" | "middle" | "end";
  className?: string;
  fill?: string;
  fontSize?: number | string;
}

const DY = { start: "0.71em", middle: "0.355em", end: "0" } as const;

/**
 * An axis label on one line (recharts' own wraps at spaces, splitting "1m 05s") and kept inside its
 * chart: a label that would cross the svg's left or right edge (the last time tick) moves in by the overflow.
 * Pass as `tick={<AxisTick />}` with the axis's tickFormatter; give y axes `width="auto"` to fit their labels.
 */
export function AxisTick({
  x = 0,
  y = 0,
  payload,
  index = 0,
  tickFormatter,
  textAnchor = "middle",
  verticalAnchor = "start",
  className,
  fill = "var(--muted)",
  fontSize = 11,
}: AxisTickProps) {
  const ref = useRef<SVGTextElement>(null);
  const [dx, setDx] = useState(0);
  const text = tickFormatter ? tickFormatter(payload?.value as never, index) : String(payload?.value ?? "");
  useLayoutEffect(() => {
    const el = ref.current;
    const svg = el?.ownerSVGElement;
    if (!el || !svg) return;
    const box = el.getBoundingClientRect();
    const frame = svg.getBoundingClientRect();
    const left = box.left - dx;
    const right = box.right - dx;
    const inward = right > frame.right ? frame.right - right : left < frame.left ? frame.left - left : 0;
    if (Math.abs(inward - dx) > 0.5) setDx(inward);
  }, [text, x, dx]);
  return (
    <text
      ref={ref}
      x={x}
      y={y}
      dx={dx}
      dy={DY[verticalAnchor]}
      textAnchor={textAnchor}
      className={className}
      fill={fill}
      fontSize={fontSize}
      style={{ fontVariantNumeric: "tabular-nums" }}
    >
      {text}
    </text>
  );
}
