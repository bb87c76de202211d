"use client";
import Link from "next/link";
import type { ComponentProps } from "react";
import { useFrozenView } from "@/components/snapshots/frozen-context";

const LEAVES_SNAPSHOT = "opens live data, not this snapshot";

/**
 * A link from one view to another. Inside a frozen snapshot every such link leaves the snapshot for live data,
 * so there it says so: a "live" mark after its text and a title naming where it goes.
 */
export function ViewLink({ children, title, ...props }: ComponentProps<typeof Link>) {
  if (!useFrozenView()) return <Link title={title} {...props}>{children}</Link>;
  return (
    <Link {...props} title={title ? `${title} (${LEAVES_SNAPSHOT})` : `Live view: ${LEAVES_SNAPSHOT}`} data-live-link="">
      {children}
      <span className="live-mark">live</span>
    </Link>
  );
}
