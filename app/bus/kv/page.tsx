import { KvOverviewView } from "@/components/bus/kv-overview-view";

export const dynamic = "force-dynamic";

export default function Page() {
  return <KvOverviewView />;
}
