import { AnnotationsView } from "@/components/annotations/annotations-view";

export const dynamic = "force-dynamic";

export default function Page() {
  return <AnnotationsView />;
}
