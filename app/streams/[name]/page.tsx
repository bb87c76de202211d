import { z } from "zod";
import { StreamDetailView } from "@/components/streams/stream-detail-view";
import { pageParams } from "@/server/page-params";

export const dynamic = "force-dynamic";

export default async function Page({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await pageParams(params, z.object({ name: z.string() }));
  // No Suspense boundary: see app/consumers/page.tsx (one hydration pass instead of two).
  return <StreamDetailView name={name} />;
}
