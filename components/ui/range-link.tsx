"use client";
import NextLink from "next/link";
import { useSearchParams } from "next/navigation";
import { useCallback, type ComponentProps } from "react";
import { bareSearch, useFrozenView } from "@/components/snapshots/frozen-context";
import { carryTimeWindow } from "@/lib/links";

/** Builds internal hrefs that keep the current page's time window (lib/links.ts carryTimeWindow). */
export function useCarryTimeWindow(): (href: string) => string {
  const params = useSearchParams();
  const frozen = useFrozenView();
  const current = frozen ? bareSearch(frozen.search) : params.toString();
  return useCallback((href: string) => carryTimeWindow(href, current), [current]);
}

/** next/link for links between views: the time window of the page it sits on rides along. */
export default function RangeLink({ href, ...props }: ComponentProps<typeof NextLink>) {
  const carry = useCarryTimeWindow();
  return <NextLink href={typeof href === "string" ? carry(href) : href} {...props} />;
}
