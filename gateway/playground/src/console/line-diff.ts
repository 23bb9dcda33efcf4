export interface DiffLine {
  kind: "same" | "added" | "removed";
  text: string;
}

/**
 * The lines of `after` against `before`, by their longest common subsequence: what a reviewer
 * reads as a diff. Schemas are a few hundred lines, so the quadratic table stays small.
 */
export function lineDiff(before: string, after: string): DiffLine[] {
  const a = before.trim().split("\n");
  const b = after.trim().split("\n");
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () =>
    new Array<number>(b.length + 1).fill(0),
  );
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      lcs[i]![j] =
        a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const lines: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      lines.push({ kind: "same", text: a[i]! });
      i++;
      j++;
    } else if (j < b.length && (i === a.length || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) {
      lines.push({ kind: "added", text: b[j]! });
      j++;
    } else {
      lines.push({ kind: "removed", text: a[i]! });
      i++;
    }
  }
  return lines;
}
