import { notFound } from "next/navigation";
import { ConsumerDetailView } from "@/components/consumers/consumer-detail-view";
import { decodeParams } from "@/server/http";

export const dynamic = "force-dynamic";

export default async function Page({ params }: { params: Promise<{ stream: string; name: string }> }) {
  const decoded = decodeParams(await params);
  if (!decoded.ok) notFound();
  const { stream, name } = decoded.value;
  // No Suspense boundary: see app/consumers/page.tsx (one hydration pass instead of two).
  return <ConsumerDetailView stream={stream} name={name} />;
}
