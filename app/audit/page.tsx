import { AuditView } from "@/components/audit/audit-view";

export const dynamic = "force-dynamic";

export default function Page() {
  return <AuditView />;
}
