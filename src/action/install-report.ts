// What main put on the runner, for outputs and the summary.
export interface InstallReport {
  /** Bundle ID → path of its installed profile (the first folder written). */
  profilePaths: Record<string, string>;
  keychainPath?: string;
  p12Path?: string;
  /** Random, masked. */
  p12Password?: string;
  exportOptionsPath?: string;
  /** Installed from the last-known-good cache because App Store Connect could not be reached. */
  degraded?: { savedAt: string; cause: string };
}

export const emptyInstallReport = (): InstallReport => ({ profilePaths: {} });
