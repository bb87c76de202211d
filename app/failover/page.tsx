import { Suspense } from "react";
import { FailoverView } from "@/components/failover/failover-view";

export const dynamic = "force-dynamic";

export default function Page() {
  // The view keeps its range and zoom in the URL (useSearchParams), which needs a Suspense boundary.
  return (
    <Suspense>
      <FailoverView />
    </Suspense>
  );
}
