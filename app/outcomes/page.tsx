import { Suspense } from "react";
import { OutcomesView } from "@/components/outcomes/outcomes-view";

export const dynamic = "force-dynamic";

export default function Page() {
  // The view reads its filters from the URL (useSearchParams), which needs a Suspense boundary.
  return (
    <Suspense>
      <OutcomesView />
    </Suspense>
  );
}
