/**
 * Caps SSE connections in total and per client, so one runaway tab or script cannot take every slot. The
 * client is a key from server/client-key.ts: the signed-in user, else an address only a trusted proxy vouches
 * for; the total cap is what protects the process whatever the key.
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
