import { StreamsView } from "@/components/streams/streams-view";

export const dynamic = "force-dynamic";

export default function Page() {
  // No Suspense boundary: see app/consumers/page.tsx (one hydration pass instead of two).
  return <StreamsView />;
}
