import { ServersView } from "@/components/bus/servers-view";

export const dynamic = "force-dynamic";

export default function Page() {
  return <ServersView />;
}
