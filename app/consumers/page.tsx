import { ConsumersView } from "@/components/consumers/consumers-view";

export const dynamic = "force-dynamic";

export default function Page() {
  return <ConsumersView />;
}
