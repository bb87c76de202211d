import { z } from "zod";
import { HandlerView } from "@/components/outcomes/handler-view";
import { HandlerIdSchema } from "@/lib/outcomes/handler-detail";
import { pageParams } from "@/server/page-params";

export const dynamic = "force-dynamic";

export default async function Page({ params }: { params: Promise<{ handler: string }> }) {
  const { handler } = await pageParams(params, z.object({ handler: HandlerIdSchema }));
  return <HandlerView handler={handler} />;
}
