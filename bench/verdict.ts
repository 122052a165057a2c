/** A bench's last word: its failures on stderr and exit 1, or what held on stdout. */
export function verdict(failures: readonly string[], held: string): void {
  if (failures.length > 0) {
    console.error(`Failures:\n${failures.join('\n')}`);
    process.exit(1);
  }
  console.log(held);
}
