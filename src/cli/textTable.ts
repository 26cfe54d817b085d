/** A plain-text table with columns padded to their widest cell; long cells are cut with an ellipsis. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[], maxCell = 70): string {
  const cut = (s: string) => (s.length > maxCell ? `${s.slice(0, maxCell - 1)}…` : s);
  const all = [headers, ...rows].map((r) => r.map(cut));
  const widths = headers.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(all[0] ?? []), widths.map((w) => '─'.repeat(w)).join('  '), ...all.slice(1).map(line)].join('\n');
}
