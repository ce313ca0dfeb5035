// Where things go on the runner. Every path is derived from the environment handed in, never from
// process.env, so tests (and a CLI) choose them.
import { join } from "node:path";

/** Xcode 16+ reads the first, older Xcode the second: install to both. */
export function xcodeProfileDirectories(home: string): string[] {
  return [
    join(home, "Library", "Developer", "Xcode", "UserData", "Provisioning Profiles"),
    join(home, "Library", "MobileDevice", "Provisioning Profiles"),
  ];
}

/** The profile folder on Linux and Windows when `install-dir` is empty. */
export function defaultInstallDirectory(runnerTemp: string): string {
  return join(runnerTemp, "asc-provision", "profiles");
}

/** `<UUID><ext>`, the name Xcode looks for. */
export function profileFileName(uuid: string, extension: string): string {
  return `${uuid}${extension}`;
}

export interface InstallLocation {
  runnerOs: string;
  home: string;
  runnerTemp: string;
  /** The `install-dir` input ("" when unset). */
  installDir: string;
}

export function isMacOs(runnerOs: string): boolean {
  return runnerOs.toLowerCase() === "macos";
}

/** Folders each profile is written to: both Xcode folders on macOS (plus `install-dir` when set), otherwise
 * `install-dir` or its default. */
export function profileDirectories(location: InstallLocation): string[] {
  if (isMacOs(location.runnerOs)) {
    const dirs = xcodeProfileDirectories(location.home);
    return location.installDir ? [...dirs, location.installDir] : dirs;
  }
  return [location.installDir || defaultInstallDirectory(location.runnerTemp)];
}

/** Unique per run, so that self-hosted runners never collide with a previous or concurrent job. */
export function keychainPath(runnerTemp: string, id: string): string {
  return join(runnerTemp, `asc-provision-${id}.keychain-db`);
}

/** The per-run folder for the .p12, ExportOptions.plist and WWDR certificate files. */
export function workDirectory(runnerTemp: string, id: string): string {
  return join(runnerTemp, `asc-provision-${id}`);
}
