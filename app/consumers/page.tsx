import { Suspense } from "react";
import { ConsumersView } from "@/components/consumers/consumers-view";

export const dynamic = "force-dynamic";

export default function Page() {
  // The view reads its state from the URL (useSearchParams), which needs a Suspense boundary.
  return (
    <Suspense>
      <ConsumersView />
    </Suspense>
  );
}
