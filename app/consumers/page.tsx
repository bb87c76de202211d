import { Suspense } from "react";
import { ConsumersView } from "@/components/consumers/consumers-view";
import { consumersFirstScreen, parseListState } from "@/lib/consumer-search-params";
import { startedRuntime } from "@/server/runtime";

export const dynamic = "force-dynamic";

export default async function Page({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  // The first screen comes in the HTML: at 10,000 consumers the live stream's first state is half a megabyte
  // that arrives only after the scripts have loaded.
  const rows = (await startedRuntime())?.hub.getState("consumer_rows");
  const initial = rows ? consumersFirstScreen(rows, parseListState(await searchParams)) : undefined;
  return (
    // The view reads its state from the URL (useSearchParams), which needs a Suspense boundary.
    <Suspense>
      <ConsumersView initial={initial} />
    </Suspense>
  );
}
