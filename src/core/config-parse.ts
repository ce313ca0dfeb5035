// Raw input strings → a validated Config (being written by the lead).
import type { Config } from "./config.ts";
import type { SecretMasker } from "./ports.ts";

export type RawInputs = Record<string, string>;

export interface ParseConfigDeps {
  readFile: (path: string) => Buffer | undefined;
  masker: SecretMasker;
}

export function parseConfig(_raw: RawInputs, _deps: ParseConfigDeps): Config {
  throw new Error("parseConfig: not implemented yet");
}
