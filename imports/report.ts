/** What happened to each record a connector read (`skipped`: left out for its own reason, e.g. disabled). */
export type Outcome = "created" | "updated" | "unchanged" | "skipped" | "withdrawn";

export const OUTCOMES: Outcome[] = ["created", "updated", "unchanged", "skipped", "withdrawn"];

export interface Rejection {
  entity: string;
  sourceId: string;
  reason: string;
}

export interface ImportReportData {
  /** Counts per entity (`repairers`, `products`...) and outcome. */
  counts: Record<string, Record<Outcome, number>>;
  /** Records skipped, with why; capped at `MAX_LISTED` (the total is in `rejectedTotal`). */
  rejected: Rejection[];
  rejectedTotal: number;
  /**
   * Imported, with something left out (e.g. a served city that matches no commune); a part the
   * source does not serve at all is one warning for the whole run.
   */
  warnings: Rejection[];
}

const MAX_LISTED = 500;

/** The running tally of a run, stored with its cursor so a resumed run reports the whole of it. */
export class ImportReport {
  readonly data: ImportReportData;

  constructor(data?: ImportReportData) {
    this.data = data
      ? structuredClone(data)
      : { counts: {}, rejected: [], rejectedTotal: 0, warnings: [] };
  }

  count(entity: string, outcome: Outcome, by = 1): void {
    this.data.counts[entity] ??= { created: 0, updated: 0, unchanged: 0, skipped: 0, withdrawn: 0 };
    this.data.counts[entity][outcome] = (this.data.counts[entity][outcome] ?? 0) + by;
  }

  reject(entity: string, sourceId: string, reason: string): void {
    this.data.rejectedTotal += 1;
    if (this.data.rejected.length < MAX_LISTED)
      this.data.rejected.push({ entity, sourceId, reason });
  }

  /** Said once per run: a batch repeating a warning already made (a route the source lacks) adds nothing. */
  warn(entity: string, sourceId: string, reason: string): void {
    const said = this.data.warnings.some(
      (w) => w.entity === entity && w.sourceId === sourceId && w.reason === reason,
    );
    if (!said && this.data.warnings.length < MAX_LISTED)
      this.data.warnings.push({ entity, sourceId, reason });
  }

  total(outcome: Outcome): number {
    return Object.values(this.data.counts).reduce((sum, counts) => sum + (counts[outcome] ?? 0), 0);
  }

  /** Records read from the source: each was written, found unchanged, skipped or rejected. */
  get read(): number {
    return (
      this.total("created") +
      this.total("updated") +
      this.total("unchanged") +
      this.total("skipped") +
      this.data.rejectedTotal
    );
  }
}

/** The final report, as printed by `hub import`. */
export function formatReport(data: ImportReportData): string {
  const lines = Object.entries(data.counts).map(
    ([entity, c]) => `  ${entity.padEnd(22)} ${describeCounts(c)}`,
  );
  lines.push(`  rejected: ${data.rejectedTotal}`);
  for (const r of data.rejected) lines.push(`    ${r.entity} ${r.sourceId}: ${r.reason}`);
  if (data.rejectedTotal > data.rejected.length)
    lines.push(`    … and ${data.rejectedTotal - data.rejected.length} more`);
  if (data.warnings.length) lines.push(`  warnings: ${data.warnings.length}`);
  for (const w of data.warnings) lines.push(`    ${w.entity} ${w.sourceId}: ${w.reason}`);
  return lines.join("\n");
}

/** `5 created, 0 updated, 2 unchanged, 1 skipped, 0 withdrawn` (reports kept from before `skipped` read 0). */
export function describeCounts(counts: Partial<Record<Outcome, number>>): string {
  return OUTCOMES.map((outcome) => `${counts[outcome] ?? 0} ${outcome}`).join(", ");
}
