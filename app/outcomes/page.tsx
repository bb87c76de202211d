import { OutcomesView } from "@/components/outcomes/outcomes-view";

export const dynamic = "force-dynamic";

export default function Page() {
  return <OutcomesView />;
}
