export type StatusRanges = ReadonlyArray<readonly [number, number]>;

/** "200-399", "200,204", "2xx"-free on purpose: ranges are explicit. */
export function parseStatusRanges(text: string): { ranges?: StatusRanges; problem?: string } {
  const ranges: Array<[number, number]> = [];
  for (const part of text.split(',')) {
    const match = /^\s*(\d{3})\s*(?:-\s*(\d{3})\s*)?$/.exec(part);
    if (!match) return { problem: 'status codes or ranges such as 200,204 or 200-399' };
    const low = Number(match[1]);
    const high = Number(match[2] ?? match[1]);
    if (low < 100 || high > 599 || low > high) return { problem: 'status codes from 100 to 599, ranges low-high' };
    ranges.push([low, high]);
  }
  return { ranges };
}

export function statusAccepted(status: number, ranges: StatusRanges): boolean {
  return ranges.some(([low, high]) => status >= low && status <= high);
}
