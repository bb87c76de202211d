import { OutcomeDetailView } from "@/components/outcomes/outcome-detail-view";

export const dynamic = "force-dynamic";

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <OutcomeDetailView id={decodeURIComponent(id)} />;
}
