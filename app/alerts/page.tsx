import { AlertsView } from "@/components/alerts/alerts-view";

export const dynamic = "force-dynamic";

export default function Page() {
  return <AlertsView />;
}
