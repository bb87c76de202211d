import { Overview } from "@/components/overview/overview";
import { overviewFirstScreen } from "@/server/findings/api";
import { startedRuntime } from "@/server/runtime";

export const dynamic = "force-dynamic";

export default async function Page() {
  // On-call lands here: the open findings come in the HTML, before the scripts load and the live stream opens.
  const rt = await startedRuntime();
  // No Suspense boundary: see app/consumers/page.tsx (one hydration pass instead of two).
  return <Overview initial={rt ? overviewFirstScreen(rt) : undefined} />;
}
