// Runs macOS `security` through the Exec port. Errors name the subcommand only: some argument lists carry
// the throwaway .p12 password (see keychain.ts), so arguments never go into messages or logs.
import type { Exec, ExecResult } from "../ports.ts";
import { InstallError } from "./install-error.ts";

export const SECURITY = "security";

export interface SecurityCall {
  args: string[];
  /** Written to standard input: how keychain passwords reach `security` (see keychain.ts). */
  input?: string;
  /** What this call is for, for the error message: "create the keychain". */
  purpose: string;
}

/** Runs `security`; a non-zero exit is returned, not thrown (the caller decides). */
export async function execSecurity(exec: Exec, call: SecurityCall): Promise<ExecResult> {
  try {
    return await exec.run(SECURITY, call.args, call.input === undefined ? {} : { input: call.input });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InstallError(
      `keychain: could not run \`security ${call.args[0] ?? ""}\` to ${call.purpose} (${reason}). The keychain needs macOS; set \`keychain: false\` elsewhere.`,
    );
  }
}

export function securityFailure(call: SecurityCall, result: ExecResult): InstallError {
  const detail = result.stderr.trim() || result.stdout.trim() || "no output";
  return new InstallError(
    `keychain: \`security ${call.args[0] ?? ""}\` failed to ${call.purpose} (exit ${result.code}): ${detail}`,
  );
}

/** Runs `security` and returns its standard output; a non-zero exit is an InstallError. */
export async function runSecurity(exec: Exec, call: SecurityCall): Promise<string> {
  const result = await execSecurity(exec, call);
  if (result.code !== 0) throw securityFailure(call, result);
  return result.stdout;
}

/** `security list-keychains` / `default-keychain` print one `    "path"` per line. */
export function parseKeychainList(stdout: string): string[] {
  return stdout
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => (line.startsWith('"') && line.endsWith('"') ? line.slice(1, -1) : line));
}

export interface FoundIdentity {
  sha1: string;
  name: string;
}

/** `security find-identity` lines: `  1) 0123…ABCD "Apple Distribution: Example (TEAMID)"`. */
export function parseIdentities(stdout: string): FoundIdentity[] {
  const found: FoundIdentity[] = [];
  for (const match of stdout.matchAll(/^\s*\d+\)\s+([0-9A-Fa-f]{40})\s+"(.*)"/gm))
    found.push({ sha1: (match[1] ?? "").toUpperCase(), name: match[2] ?? "" });
  return found;
}

/** macOS reports /var and /tmp paths under /private; compare keychain paths without that prefix. */
export function sameKeychainPath(left: string, right: string): boolean {
  const normal = (path: string): string => path.replace(/^\/private(?=\/(var|tmp|etc)\/)/, "");
  return normal(left) === normal(right);
}
