// BSD getopt(3) as macOS `security` uses it: short options, clustered flags (-lut 21600), an option's
// argument either attached (-pSECRET) or next, parsing stops at the first non-option or "--".

export interface ParsedOptions {
  options: Array<{ flag: string; value: string | undefined }>;
  operands: string[];
}

export class UsageError extends Error {}

export function getopt(args: string[], optstring: string): ParsedOptions {
  const options: ParsedOptions["options"] = [];
  let i = 0;
  for (; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (arg === "--") {
      i++;
      break;
    }
    if (!arg.startsWith("-") || arg === "-") break;
    for (let j = 1; j < arg.length; j++) {
      const flag = arg[j] ?? "";
      const at = optstring.indexOf(flag);
      if (at < 0 || flag === ":") throw new UsageError(`illegal option -- ${flag}`);
      if (optstring[at + 1] === ":") {
        const attached = arg.slice(j + 1);
        if (attached) options.push({ flag, value: attached });
        else {
          i++;
          if (i >= args.length) throw new UsageError(`option requires an argument -- ${flag}`);
          options.push({ flag, value: args[i] });
        }
        break;
      }
      options.push({ flag, value: undefined });
    }
  }
  return { options, operands: args.slice(i) };
}

export const has = (parsed: ParsedOptions, flag: string): boolean =>
  parsed.options.some((o) => o.flag === flag);

export const value = (parsed: ParsedOptions, flag: string): string | undefined =>
  parsed.options.findLast((o) => o.flag === flag)?.value;

export const values = (parsed: ParsedOptions, flag: string): string[] =>
  parsed.options.filter((o) => o.flag === flag).map((o) => o.value ?? "");
