/** The one table the harness prints: every figure beside its target and whether it was met. */

export type Verdict = "met" | "missed" | "not measured" | "";

export interface Row {
  measurement: string;
  connections?: number;
  /** The main figure, with its unit (e.g. "2,345 req/s", "61 MB"). */
  figure: string;
  p50Ms?: number;
  p99Ms?: number;
  /** The server's CPU time per request. */
  cpuMsPerRequest?: number;
  /** Share of the trivial route's rate at the same connection count. */
  ofTrivial?: number;
  target?: string;
  verdict?: Verdict;
  /** Why a row was not measured, or how far a target was missed. */
  note?: string;
}

/** A number with thousands separators, e.g. 12,345. */
export const grouped = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

const ms = (n: number | undefined) => (n === undefined ? "" : Number.isNaN(n) ? "—" : n < 10 ? n.toFixed(2) : n.toFixed(1));

/** Renders the rows as a Markdown table, readable in a terminal and pasteable into BENCHMARKS.md. */
export function renderTable(rows: Row[]): string {
  const header = ["measurement", "conns", "figure", "p50 ms", "p99 ms", "CPU ms/req", "of trivial", "target", "result"];
  const cells = rows.map((r) => [
    r.measurement,
    r.connections === undefined ? "" : String(r.connections),
    r.figure,
    ms(r.p50Ms),
    ms(r.p99Ms),
    r.cpuMsPerRequest === undefined || Number.isNaN(r.cpuMsPerRequest) ? "" : r.cpuMsPerRequest.toFixed(3),
    r.ofTrivial === undefined ? "" : `${(r.ofTrivial * 100).toFixed(1)}%`,
    r.target ?? "",
    [r.verdict ?? "", r.note ?? ""].filter(Boolean).join(": "),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (values: string[]) => `| ${values.map((v, i) => v.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...cells.map(line)].join("\n");
}
