"use client";
import { useEffect, useRef, useState, type ReactNode } from "react";

/**
 * Renders its children only while near the viewport, holding their height meanwhile, so a page with hundreds
 * of singletons pays for the few timelines on screen (no layout jump: the placeholder has the same height).
 */
export function LazyVisible({ height, children }: { height: number; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  const [visible, setVisible] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const io = new IntersectionObserver(([entry]) => setVisible(entry!.isIntersecting), { rootMargin: "200px 0px" });
    io.observe(el);
    return () => io.disconnect();
  }, []);
  return (
    <div ref={ref} style={{ minHeight: height }}>
      {visible ? children : null}
    </div>
  );
}
