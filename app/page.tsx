import { Overview } from "@/components/overview/overview";

export const dynamic = "force-dynamic";

export default function Page() {
  return <Overview />;
}
