import { StreamDetailView } from "@/components/streams/stream-detail-view";

export const dynamic = "force-dynamic";

export default async function Page({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  // No Suspense boundary: see app/consumers/page.tsx (one hydration pass instead of two).
  return <StreamDetailView name={decodeURIComponent(name)} />;
}
