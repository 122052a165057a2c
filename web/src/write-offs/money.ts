/** Fen as yuan for reading: `123456` → `¥1,234.56`. */
export function yuan(minor: number): string {
  return `¥${(minor / 100).toLocaleString('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}
