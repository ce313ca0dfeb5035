// The inputs about the runner (what to install, where, and what post undoes), validated like the rest of
// the configuration: every problem collected, each naming the input and the fix.
import { isAbsolute } from "node:path";
import { parseBoolean, type RawInputs } from "../config-parse.ts";
import type { InputProblem } from "../errors.ts";
import { inputOrDefault } from "../input-defaults.ts";
import { parseWwdrCertificates } from "./wwdr-certificates.ts";

export interface InstallOptions {
  install: boolean;
  /** "" when unset. */
  installDir: string;
  keychain: boolean | "auto";
  keychainDefault: boolean;
  /** DER of the `wwdr-certificates` input. */
  wwdrCertificates: Uint8Array[];
  exportOptions: boolean;
  cache: boolean;
  cleanup: boolean;
}

export function parseInstallOptions(raw: RawInputs, problems: InputProblem[]): InstallOptions {
  const problem = (input: string, message: string): void => {
    problems.push({ input, message });
  };
  const get = (name: string): string => inputOrDefault(raw, name);
  const installDir = get("install-dir");
  if (installDir && !isAbsolute(installDir))
    problem(
      "install-dir",
      `expected an absolute path (e.g. \${{ runner.temp }}/profiles), got "${installDir}".`,
    );
  const keychainValue = get("keychain");
  let keychain: boolean | "auto" = "auto";
  if (keychainValue && keychainValue.toLowerCase() !== "auto") {
    const collected: InputProblem[] = [];
    keychain = parseBoolean(keychainValue, "keychain", true, (input, message) => {
      collected.push({ input, message });
    });
    if (collected.length > 0)
      problem("keychain", `expected true, false or auto (true on macOS), got "${keychainValue}".`);
  }
  return {
    install: parseBoolean(get("install"), "install", true, problem),
    installDir,
    keychain,
    keychainDefault: parseBoolean(get("keychain-default"), "keychain-default", false, problem),
    wwdrCertificates: parseWwdrCertificates(get("wwdr-certificates"), problems),
    exportOptions: parseBoolean(get("export-options"), "export-options", true, problem),
    cache: parseBoolean(get("cache"), "cache", false, problem),
    cleanup: parseBoolean(get("cleanup"), "cleanup", true, problem),
  };
}
