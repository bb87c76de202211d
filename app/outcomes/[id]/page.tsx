import { z } from "zod";
import { OutcomeDetailView } from "@/components/outcomes/outcome-detail-view";
import { pageParams } from "@/server/page-params";

export const dynamic = "force-dynamic";

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await pageParams(params, z.object({ id: z.string() }));
  return <OutcomeDetailView id={id} />;
}
