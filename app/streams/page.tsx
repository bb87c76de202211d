import { StreamsView } from "@/components/streams/streams-view";

export const dynamic = "force-dynamic";

export default function Page() {
  return <StreamsView />;
}
