// The core's Logger and SecretMasker for a terminal: lines go to stderr, and every secret registered
// with the masker (parseConfig registers the keys and their derived forms) is redacted from them.
import type { Logger, SecretMasker } from "../core/ports.ts";

export interface CliOutput {
  logger: Logger;
  masker: SecretMasker;
  /** Replaces every registered secret in `text` with `***`. */
  redact(text: string): string;
}

export function createCliOutput(write: (text: string) => void, options: { verbose: boolean }): CliOutput {
  const secrets = new Set<string>();
  const redact = (text: string): string => {
    let result = text;
    // Longest first, so that a secret containing another is redacted whole.
    for (const secret of [...secrets].sort((first, second) => second.length - first.length))
      result = result.split(secret).join("***");
    return result;
  };
  // A message of several lines keeps its indent on each of them.
  const line = (prefix: string, message: string): void =>
    write(
      `${prefix}${redact(message)
        .split("\n")
        .join(`\n${" ".repeat(prefix.length)}`)}\n`,
    );
  const logger: Logger = {
    debug: (message) => {
      if (options.verbose) line("  debug: ", message);
    },
    info: (message) => line("  ", message),
    warning: (message) => line("warning: ", message),
    error: (message) => line("error: ", message),
    async group<T>(name: string, fn: () => Promise<T>): Promise<T> {
      line("", `${name}`);
      return fn();
    },
  };
  const masker: SecretMasker = {
    mask(secret: string): void {
      for (const part of [secret, ...secret.split(/\r?\n/)]) {
        const value = part.trim();
        if (value.length >= 8) secrets.add(value);
      }
    },
  };
  return { logger, masker, redact };
}
