import { z } from "zod";
import { ErrorGroupView } from "@/components/outcomes/error-group-view";
import { pageParams } from "@/server/page-params";

export const dynamic = "force-dynamic";

export default async function Page({ params }: { params: Promise<{ handler: string; group: string }> }) {
  const { handler, group } = await pageParams(params, z.object({ handler: z.string(), group: z.string() }));
  return <ErrorGroupView handler={handler} id={group} />;
}
