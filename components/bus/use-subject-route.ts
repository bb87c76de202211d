"use client";
/** "Where does this subject go?" from the browser: answered on request, asked again with `refetch`. */
import { useQuery } from "@tanstack/react-query";
import { ApiError, getJson } from "@/components/ui/api-response";
import { links } from "@/lib/links";
import type { SubjectRoute } from "@/lib/bus/subject-route";

export function useSubjectRoute(subject: string) {
  return useQuery<SubjectRoute>({
    queryKey: ["bus", "subject-route", subject],
    queryFn: () => getJson(links.api.subjectRoute(subject)),
    enabled: subject !== "",
    staleTime: 0,
    // A malformed subject stays malformed: show the 400 at once.
    retry: (failures, error) => !(error instanceof ApiError && error.status === 400) && failures < 1,
  });
}
