/**
 * Caps SSE connections in total and per client address, so one runaway tab or script cannot take every
 * slot. The address comes from X-Forwarded-For (Next fills it from the socket when absent); without a trusted
 * proxy in front it can be forged, which is why the total cap is the one that protects the process.
 */
export type Admission = { ok: true; release: () => void } | { ok: false; reason: string };

export class SseAdmission {
  private total = 0;
  private readonly perAddress = new Map<string, number>();

  constructor(
    private readonly limits: { maxClients: number; maxPerAddress: number },
    /** What is being counted, for the refusal reason. */
    private readonly noun = "live connections",
  ) {}

  admit(address: string): Admission {
    if (this.total >= this.limits.maxClients) {
      return { ok: false, reason: `too many ${this.noun} (${this.limits.maxClients}); retry later` };
    }
    const mine = this.perAddress.get(address) ?? 0;
    if (mine >= this.limits.maxPerAddress) {
      return { ok: false, reason: `too many ${this.noun} from ${address} (${this.limits.maxPerAddress}); close other tabs or wait` };
    }
    this.total++;
    this.perAddress.set(address, mine + 1);
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        this.total--;
        const left = (this.perAddress.get(address) ?? 1) - 1;
        if (left <= 0) this.perAddress.delete(address);
        else this.perAddress.set(address, left);
      },
    };
  }

  get connections(): number {
    return this.total;
  }
}

export function clientAddress(headers: Headers): string {
  return headers.get("x-forwarded-for")?.split(",")[0]?.trim() || headers.get("x-real-ip") || "unknown";
}
