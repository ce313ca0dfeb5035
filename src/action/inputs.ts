// Reads every input once, as the runner passes them (INPUT_<NAME> with dashes kept), applying the
// defaults of action.yml to empty values (the runner applies them too; tests and the demo may not).
import type { RawInputs } from "../core/config-parse.ts";
import type { InputProblem } from "../core/errors.ts";
import type { SecretMasker } from "../core/ports.ts";
import { maskSecret } from "../core/secret-forms.ts";
import { INPUT_DEFAULTS, INPUT_NAMES, REMOVED_INPUTS } from "./action-metadata.ts";

export type GetInput = (name: string) => string;

/** The inputs; a removed input that is still set adds a problem (and its value, maybe a secret, is masked). */
export function readInputs(getInput: GetInput, problems: InputProblem[], masker: SecretMasker): RawInputs {
  const raw: RawInputs = {};
  for (const name of INPUT_NAMES) {
    const value = getInput(name);
    raw[name] = value === "" ? INPUT_DEFAULTS[name] : value;
  }
  for (const [name, message] of Object.entries(REMOVED_INPUTS)) {
    const value = getInput(name);
    if (value === "") continue;
    maskSecret(masker, value);
    problems.push({ input: name, message });
  }
  return raw;
}
