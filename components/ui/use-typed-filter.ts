"use client";
import { useEffect, useRef, useState } from "react";

/** How long typing must pause before a filter box writes the URL. */
export const URL_WRITE_DELAY_MS = 300;

/**
 * A filter box that filters at once while the URL follows when typing pauses: each URL write re-renders the route
 * through Next's router (tens of ms on a table of thousands of rows), which per keystroke would stand between a
 * key and its result. A URL change from elsewhere (clear, back, a link) resets the box; its own write does not.
 * `write` must keep its identity across renders.
 */
export function useTypedFilter(fromUrl: string, write: (q: string) => void): [string, (q: string) => void] {
  const [typed, setTyped] = useState(fromUrl);
  const written = useRef(fromUrl);
  useEffect(() => {
    if (fromUrl === written.current) return;
    written.current = fromUrl;
    setTyped(fromUrl);
  }, [fromUrl]);
  useEffect(() => {
    if (typed === written.current) return;
    const timer = setTimeout(() => {
      written.current = typed;
      write(typed);
    }, URL_WRITE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [typed, write]);
  return [typed, setTyped];
}
