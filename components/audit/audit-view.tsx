"use client";
import { useDisplayZone } from "@/components/ui/display-zone";
import { ExportMenu } from "@/components/ui/export-menu";
import { StatusPill, type Tone } from "@/components/ui/status-pill";
import { useNow } from "@/components/ui/use-now";
import { useTimeRange } from "@/components/ui/use-time-range";
import { useUrlState } from "@/components/ui/use-url-state";
import { AUDIT_ACTIONS, type AuditRow } from "@/lib/audit/records";
import { auditApiQuery, auditFiltersToSearch, parseAuditFilters } from "@/lib/audit/search-params";
import type { Column } from "@/lib/review/export/csv";
import { formatCount, formatUtc } from "@/lib/format";
import { rangeIso, resolveTimeRange } from "@/lib/time/range";
import { useAudit } from "./use-audit";
import styles from "./audit.module.css";

/** The view's default window when the shell's range is live without a trailing window. */
const DEFAULT_WINDOW_MS = 24 * 3_600_000;

const RESULT_TONE: Record<AuditRow["result"], Tone> = { ok: "ok", refused: "bad", unknown: "warn" };
const RESULT_LABEL: Record<AuditRow["result"], string> = { ok: "done", refused: "refused", unknown: "no result" };

const COLUMNS: readonly Column<AuditRow>[] = [
  { header: "at", value: (r) => r.at },
  { header: "user", value: (r) => r.user },
  { header: "role", value: (r) => r.role },
  { header: "action", value: (r) => r.action },
  { header: "target", value: (r) => r.target },
  { header: "result", value: (r) => r.result },
  { header: "status", value: (r) => r.status },
  { header: "reason", value: (r) => r.reason },
  { header: "replica", value: (r) => r.replica },
  { header: "id", value: (r) => r.id },
];

/** Every operator action busdeck recorded, newest first; filters in the URL, the range is the shell's. */
export function AuditView() {
  const zone = useDisplayZone();
  const { range } = useTimeRange();
  const [filters, setFilters] = useUrlState(parseAuditFilters, auditFiltersToSearch);
  // A live range moves with the minute, so the list refreshes without refetching every second.
  const minute = Math.floor(useNow(60_000) / 60_000) * 60_000;
  const resolved = resolveTimeRange(range, minute + 60_000, DEFAULT_WINDOW_MS);
  const audit = useAudit(auditApiQuery(filters, resolved));
  const rows = audit.data?.rows ?? [];

  return (
    <>
      <div className="page-head">
        <h1>Audit trail</h1>
        <span className="sub">every operator action, recorded before it runs — append-only, nothing in busdeck can change it</span>
      </div>
      <div className={styles.filters}>
        <label>
          <span>User</span>
          <input type="text" value={filters.user} onChange={(e) => setFilters({ user: e.target.value })} data-testid="audit-user" />
        </label>
        <label>
          <span>Action</span>
          <select value={filters.action} onChange={(e) => setFilters({ action: e.target.value })} data-testid="audit-action">
            <option value="">any</option>
            {AUDIT_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </label>
        <span className="muted tabular" data-testid="audit-count">
          {audit.isPending
            ? "loading…"
            : `${formatCount(rows.length)} ${rows.length === 1 ? "action" : "actions"}${audit.data?.complete === false ? " (capped)" : ""}`}
        </span>
        <ExportMenu
          columns={COLUMNS}
          rows={() => rows}
          meta={{ view: "audit", filters: { ...filters }, range: rangeIso(resolved) }}
          testId="audit-export"
        />
      </div>
      {audit.error && <p className="warn-text">{audit.error.message}</p>}
      <div className="table-wrap">
        <table className="data" data-testid="audit-table">
          <thead>
            <tr>
              <th>At ({zone === "utc" ? "UTC" : "local"})</th>
              <th>User</th>
              <th>Role</th>
              <th>Action</th>
              <th>Target</th>
              <th>Result</th>
              <th>Replica</th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 && !audit.isPending && (
              <tr>
                <td colSpan={7} className="muted">
                  No operator actions in this range.
                </td>
              </tr>
            )}
            {rows.map((r) => (
              <tr key={r.id} data-testid="audit-row" data-action={r.action}>
                <td className="tabular">{formatUtc(r.at, zone)}</td>
                <td>{r.user}</td>
                <td>{r.role}</td>
                <td>
                  <code>{r.action}</code>
                </td>
                <td className="tabular">{r.target || <span className="muted">—</span>}</td>
                <td title={r.reason ?? undefined}>
                  <StatusPill
                    tone={RESULT_TONE[r.result]}
                    label={r.status ? `${RESULT_LABEL[r.result]} · ${r.status}` : RESULT_LABEL[r.result]}
                  />
                </td>
                <td className="muted">{r.replica}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
