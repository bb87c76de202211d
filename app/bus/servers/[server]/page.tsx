import { z } from "zod";
import { ServerDetailView } from "@/components/bus/server-detail-view";
import { ServerNameSchema } from "@/lib/bus/server-history";
import { pageParams } from "@/server/page-params";

export const dynamic = "force-dynamic";

export default async function Page({ params }: { params: Promise<{ server: string }> }) {
  const { server } = await pageParams(params, z.object({ server: ServerNameSchema }));
  return <ServerDetailView name={server} />;
}
