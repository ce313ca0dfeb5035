// Reads every input once, as the runner passes them (INPUT_<NAME> with dashes kept), applying the
// defaults of action.yml to empty values (the runner applies them too; tests and the demo may not).
import type { RawInputs } from "../core/config-parse.ts";
import { INPUT_DEFAULTS, INPUT_NAMES } from "./action-metadata.ts";

export type GetInput = (name: string) => string;

export function readInputs(getInput: GetInput): RawInputs {
  const raw: RawInputs = {};
  for (const name of INPUT_NAMES) {
    const value = getInput(name);
    raw[name] = value === "" ? INPUT_DEFAULTS[name] : value;
  }
  return raw;
}
