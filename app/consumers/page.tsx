import { ConsumersView } from "@/components/consumers/consumers-view";
import { consumersFirstScreen, parseConsumerListState } from "@/lib/consumers/search-params";
import { startedRuntime } from "@/server/runtime";

export const dynamic = "force-dynamic";

export default async function Page({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  // The first screen comes in the HTML: at 10,000 consumers the live stream's first state is half a megabyte
  // that arrives only after the scripts have loaded.
  const rows = (await startedRuntime())?.hub.getState("consumer_rows");
  const initial = rows ? consumersFirstScreen(rows, parseConsumerListState(await searchParams)) : undefined;
  // No Suspense boundary around the view (a dynamic page needs none for useSearchParams): React would hydrate
  // its content in a later pass, so the page hydrates in one pass and shows the live rows in the same frame
  // (bench/RESULTS.md, bench:consumer-view).
  return <ConsumersView initial={initial} />;
}
