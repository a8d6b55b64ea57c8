/**
 * Whether a Node version (`20.19.0`) is in an `engines.node` range written with the forms this
 * repository uses: alternatives joined by `||`, each `^x.y.z` or `>=x.y.z`. Anything else throws,
 * so a range edited into another form is noticed rather than misread.
 */
export function satisfiesRange(version: string, range: string): boolean {
  const have = parse(version);
  return range.split("||").some((part) => {
    const match = /^\s*(\^|>=)\s*(\d+\.\d+\.\d+)\s*$/.exec(part);
    if (!match) throw new Error(`unsupported engines range: ${range}`);
    const want = parse(match[2] as string);
    if (compare(have, want) < 0) return false;
    return match[1] === ">=" || have[0] === want[0];
  });
}

function parse(version: string): [number, number, number] {
  const [major = 0, minor = 0, patch = 0] = version.split(".").map(Number);
  return [major, minor, patch];
}

function compare(a: [number, number, number], b: [number, number, number]): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}
