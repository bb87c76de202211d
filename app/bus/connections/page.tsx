import { ConnectionsView } from "@/components/bus/connections-view";

export const dynamic = "force-dynamic";

export default function Page() {
  return <ConnectionsView />;
}
