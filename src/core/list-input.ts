// Lists as users write them in workflow inputs: one per line or comma separated, blank lines and
// `#` comments ignored.

export function splitList(value: string, separator: RegExp = /[\r\n,]+/): string[] {
  return value
    .split(/\r?\n/)
    .map((line) => line.replace(/(^|\s)#.*$/, ""))
    .join("\n")
    .split(separator)
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/** Non-empty, non-comment lines. */
export function splitLines(value: string): string[] {
  return splitList(value, /\r?\n/);
}
