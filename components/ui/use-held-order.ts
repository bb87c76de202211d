"use client";
import { useCallback, useEffect, useMemo, useRef, useState, type FocusEvent } from "react";
import { holdOrder, rowsMoved } from "@/lib/view/held-order";

export interface HeldOrder<T> {
  /** The rows to render: the held order while someone is on the table, the live order otherwise. */
  rows: readonly T[];
  /** Whether the order is held (pointer over the zone or focus inside it). */
  held: boolean;
  /** Rows a re-sort would move once the hold ends. */
  moved: number;
  /** Takes the live order now and keeps holding it. */
  applyNow: () => void;
  /** Spread on the element that holds the order while the pointer is over it or focus is inside it. */
  zoneProps: {
    onPointerEnter: () => void;
    onPointerLeave: () => void;
    onFocus: (e: FocusEvent<HTMLElement>) => void;
    onBlur: (e: FocusEvent<HTMLElement>) => void;
  };
}

/**
 * Keeps a live table's rows from moving under the reader: while the pointer is over the zone or focus is in it,
 * rows keep the order they had (values still update); the live order applies when both leave. `basis` names
 * the sort and filters: a change to it is the reader's own and applies at once.
 */
export function useHeldOrder<T>(rows: readonly T[], key: (row: T) => string, basis: string): HeldOrder<T> {
  const [pointerIn, setPointerIn] = useState(false);
  const [focusIn, setFocusIn] = useState(false);
  const held = pointerIn || focusIn;
  const [frozen, setFrozen] = useState<{ keys: string[]; basis: string } | null>(null);
  const latest = useRef({ rows, key, basis });
  latest.current = { rows, key, basis };
  const freezeNow = useCallback(() => {
    const { rows, key, basis } = latest.current;
    setFrozen({ keys: rows.map(key), basis });
  }, []);

  useEffect(() => {
    if (!held) setFrozen(null);
    else if (!frozen || frozen.basis !== basis) freezeNow();
  }, [held, basis, frozen, freezeNow]);

  const active = held && frozen !== null && frozen.basis === basis ? frozen : null;
  const shown = useMemo(() => (active ? holdOrder(active.keys, rows, key) : rows), [active, rows, key]);
  const moved = useMemo(() => (active ? rowsMoved(shown, rows, key) : 0), [active, shown, rows, key]);
  const zoneProps = useMemo(
    () => ({
      onPointerEnter: () => setPointerIn(true),
      onPointerLeave: () => setPointerIn(false),
      // keyboard focus only: a mouse click on a sort button must not hold the order after the pointer leaves
      onFocus: (e: FocusEvent<HTMLElement>) => setFocusIn(e.target.matches(":focus-visible")),
      onBlur: (e: FocusEvent<HTMLElement>) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setFocusIn(false);
      },
    }),
    [],
  );
  return { rows: shown, held, moved, applyNow: freezeNow, zoneProps };
}
