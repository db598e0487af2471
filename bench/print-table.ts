/**
 * The bench's one way to print a table: a title, the header, a rule, the rows, columns as wide as
 * their widest cell; the first `leftColumns` aligned left (names), the rest right (figures).
 */
export function printTable(title: string, header: readonly string[], rows: readonly (readonly string[])[], leftColumns = 1): void {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column < leftColumns ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
      .join("  ")
      .trimEnd();
  console.log(`\n${title}`);
  console.log(line(header));
  console.log(widths.map((width) => "─".repeat(width)).join("  "));
  for (const row of rows) console.log(line(row));
}
