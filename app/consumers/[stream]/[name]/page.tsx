import { ConsumerDetailView } from "@/components/consumers/consumer-detail-view";

export const dynamic = "force-dynamic";

/** Next hands dynamic segments over percent-encoded in some versions and decoded in others; accept both. */
const decoded = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

export default async function Page({ params }: { params: Promise<{ stream: string; name: string }> }) {
  const { stream, name } = await params;
  // No Suspense boundary: see app/consumers/page.tsx (one hydration pass instead of two).
  return <ConsumerDetailView stream={decoded(stream)} name={decoded(name)} />;
}
