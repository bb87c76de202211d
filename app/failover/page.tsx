import { FailoverView } from "@/components/failover/failover-view";

export const dynamic = "force-dynamic";

export default function Page() {
  return <FailoverView />;
}
