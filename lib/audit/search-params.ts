/** The /audit view's filters in the URL (the time range is the shell's). */
import { z } from "zod";

export interface AuditFilters {
  user: string;
  action: string;
}

const FilterSchema = z.string().max(200).catch("");

export function parseAuditFilters(p: URLSearchParams): AuditFilters {
  return { user: FilterSchema.parse(p.get("user") ?? ""), action: FilterSchema.parse(p.get("action") ?? "") };
}

export function auditFiltersToSearch(f: AuditFilters): string {
  const out = new URLSearchParams();
  if (f.user) out.set("user", f.user);
  if (f.action) out.set("action", f.action);
  const s = out.toString();
  return s ? `?${s}` : "";
}

/** The API query for these filters and an absolute range. */
export function auditApiQuery(f: AuditFilters, range: { from: number; to: number }): string {
  const out = new URLSearchParams({ from: new Date(range.from).toISOString(), to: new Date(range.to).toISOString() });
  if (f.user) out.set("user", f.user);
  if (f.action) out.set("action", f.action);
  return `/api/audit?${out}`;
}
