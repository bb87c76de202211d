import { SubjectsView } from "@/components/bus/subjects-view";

export const dynamic = "force-dynamic";

export default function Page() {
  return <SubjectsView />;
}
