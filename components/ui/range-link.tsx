"use client";
import NextLink from "next/link";
import { useSearchParams } from "next/navigation";
import { useCallback, type ComponentProps } from "react";
import { bareSearch, useFrozenView } from "@/components/snapshots/frozen-context";
import { carryTimeWindow } from "@/lib/links";

const LEAVES_SNAPSHOT = "opens live data, not this snapshot";

/** Builds internal hrefs that keep the current page's time window (lib/links.ts carryTimeWindow). */
export function useCarryTimeWindow(): (href: string) => string {
  const params = useSearchParams();
  const frozen = useFrozenView();
  const current = frozen ? bareSearch(frozen.search) : params.toString();
  return useCallback((href: string) => carryTimeWindow(href, current), [current]);
}

/**
 * next/link for links between views: the time window of the page it sits on rides along. Inside a frozen
 * snapshot every such link leaves the snapshot for live data, so there it says so: a "live" mark after its text
 * and a title naming where it goes.
 */
export default function RangeLink({ href, children, title, ...props }: ComponentProps<typeof NextLink>) {
  const carry = useCarryTimeWindow();
  const frozen = useFrozenView();
  const target = typeof href === "string" ? carry(href) : href;
  if (!frozen)
    return (
      <NextLink href={target} title={title} {...props}>
        {children}
      </NextLink>
    );
  return (
    <NextLink href={target} {...props} title={title ? `${title} (${LEAVES_SNAPSHOT})` : `Live view: ${LEAVES_SNAPSHOT}`} data-live-link="">
      {children}
      <span className="live-mark">live</span>
    </NextLink>
  );
}
