/** One command's figures: medians of its runs, and every run's CPU ms in round order. */
export interface Row {
  readonly name: string;
  readonly cpuMs: number;
  readonly cpuRuns?: readonly number[];
  readonly wallMs?: number;
  readonly rssMb?: number;
  readonly exitCodes?: readonly number[];
}

export interface Budget {
  readonly name: string;
  readonly against: string;
  readonly maxRatio: number;
  readonly maxRssMb?: number;
}

export const CLEAN_PATH: string;
export function clean(argv: readonly string[], env?: Record<string, string>): string[];
export function measure(
  commands: readonly { readonly name: string; readonly argv: readonly string[] }[],
  options?: { runs?: number; warmup?: number; rssRuns?: number; root?: string },
): Required<Row>[];
export function ratioRange(row: Row, against: Row, draws?: number): [number, number] | undefined;
export function report(title: string, rows: readonly Required<Row>[], options?: { base?: string; budgets?: readonly Budget[] }): { text: string; ok: boolean };
