import { Suspense } from "react";
import { StreamsView } from "@/components/streams/streams-view";

export const dynamic = "force-dynamic";

export default function Page() {
  // The view reads its sort/filter state from the URL (useSearchParams), which needs a Suspense boundary.
  return (
    <Suspense>
      <StreamsView />
    </Suspense>
  );
}
