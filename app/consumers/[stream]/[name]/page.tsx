import { z } from "zod";
import { ConsumerDetailView } from "@/components/consumers/consumer-detail-view";
import { pageParams } from "@/server/page-params";

export const dynamic = "force-dynamic";

export default async function Page({ params }: { params: Promise<{ stream: string; name: string }> }) {
  const { stream, name } = await pageParams(params, z.object({ stream: z.string(), name: z.string() }));
  // No Suspense boundary: see app/consumers/page.tsx (one hydration pass instead of two).
  return <ConsumerDetailView stream={stream} name={name} />;
}
