"use client";
/** The audit trail from the browser: the rows of one filtered range. */
import { useQuery } from "@tanstack/react-query";
import { getJson } from "@/components/ui/api-response";
import type { AuditRow } from "@/lib/audit/records";

export function useAudit(url: string) {
  return useQuery<{ rows: AuditRow[]; complete: boolean }>({
    queryKey: ["audit", url],
    queryFn: () => getJson(url),
    placeholderData: (previous) => previous,
  });
}
