import type { Metadata } from "next";
import { headers } from "next/headers";
import type { ReactNode } from "react";
import { Providers } from "@/components/providers";
import { ConnectionBanner } from "@/components/shell/connection-banner";
import { Nav } from "@/components/shell/nav";
import { DisplayZoneProvider } from "@/components/ui/display-zone";
import { RangePicker } from "@/components/ui/range-picker";
import { RoleProvider } from "@/components/shell/role";
import { earlyEventSourceScript } from "@/lib/wire/live-cache";
import { identityFromHeaders } from "@/server/auth/identity";
import { readOnlyFrom } from "@/server/config";
import "./globals.css";

export const metadata: Metadata = {
  title: "busdeck — NATS JetStream dashboard",
  description: "Streams, consumer lag, reflex outcomes and failover for a NATS JetStream event bus.",
};

// Runs before paint so a dark-theme user never sees a light flash. A constant, never data.
const THEME_BOOT = `try{var t=localStorage.getItem("busdeck-theme");if(!t&&matchMedia("(prefers-color-scheme: dark)").matches)t="dark";if(t)document.documentElement.dataset.theme=t}catch(e){}`;

// Opens the page's event stream while the bundles load and hydrate; useLiveEvents adopts it (lib/wire/live-cache.ts).
const SSE_BOOT = earlyEventSourceScript();

export default async function RootLayout({ children }: { children: ReactNode }) {
  const requestHeaders = await headers();
  const nonce = requestHeaders.get("x-nonce") ?? undefined;
  // The role proxy.ts signed (any the client sent is stripped or fails the check); it decides which controls the views offer.
  const role = identityFromHeaders(requestHeaders)?.role ?? "viewer";
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: THEME_BOOT }} />
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: SSE_BOOT }} />
      </head>
      <body>
        <Providers>
          <RoleProvider role={role} readOnly={readOnlyFrom(process.env)}>
            <a className="skip-link" href="#main" data-testid="skip-link">
              Skip to content
            </a>
            <Nav />
            <RangePicker />
            <ConnectionBanner />
            <main id="main" tabIndex={-1}>
              <DisplayZoneProvider>{children}</DisplayZoneProvider>
            </main>
          </RoleProvider>
        </Providers>
      </body>
    </html>
  );
}
