import { notFound } from "next/navigation";
import { OutcomeDetailView } from "@/components/outcomes/outcome-detail-view";
import { decodeParam } from "@/server/http";

export const dynamic = "force-dynamic";

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const id = decodeParam("id", (await params).id);
  if (!id.ok) notFound();
  return <OutcomeDetailView id={id.value} />;
}
