// Command-line flags through node:util parseArgs, strict: an unknown flag or a missing value is a usage
// error naming the flag, never a silent default.
import { parseArgs } from "node:util";
import { AscProvisionError } from "../core/errors.ts";

/** Wrong command-line usage (exit code 2): the message names the flag and the fix. */
export class UsageError extends AscProvisionError {
  override name = "UsageError";
}

export interface FlagSpec {
  type: "string" | "boolean";
  /** May be given several times; the values are joined with newlines. */
  multiple?: boolean;
  short?: string;
}

export type Flags = Record<string, string | boolean | undefined>;

export function parseFlags(args: string[], spec: Record<string, FlagSpec>): Flags {
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      options: { ...spec, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(message.replace(/\. To specify a positional argument.*$/s, "."));
  }
  const flags: Flags = {};
  for (const [name, value] of Object.entries(values)) {
    flags[name] = Array.isArray(value) ? value.map(String).join("\n") : value;
  }
  return flags;
}

/** A string flag, or the environment variable standing in for it, or "". */
export function flagOrEnv(
  flags: Flags,
  name: string,
  env: Record<string, string | undefined>,
  variable: string,
): string {
  const value = flags[name];
  if (typeof value === "string" && value !== "") return value;
  return env[variable] ?? "";
}
