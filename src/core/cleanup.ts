// Undoes what main recorded on the runner, newest first. Never throws: every problem becomes a warning,
// because a cleanup step must not fail a job whose real work is done. Running it twice is harmless:
// what is already gone is skipped.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, rmdirSync, unlinkSync, writeFileSync } from "node:fs";
import { describeError } from "./errors.ts";
import { removeKeychain } from "./install/keychain.ts";
import type { CleanupEntry, Exec, Logger } from "./ports.ts";

export interface CleanupDeps {
  exec: Exec;
  logger: Logger;
}

export interface CleanupReport {
  /** Entries that had something left to undo. */
  undone: number;
  warnings: string[];
}

export async function undoRecordedEntries(
  entries: CleanupEntry[],
  deps: CleanupDeps,
): Promise<CleanupReport> {
  const report: CleanupReport = { undone: 0, warnings: [] };
  const warn = (message: string): void => {
    report.warnings.push(message);
    deps.logger.warning(message);
  };
  for (const entry of [...entries].reverse()) {
    try {
      if (entry.kind === "file") {
        if (!existsSync(entry.path)) continue;
        unlinkSync(entry.path);
        report.undone++;
        deps.logger.info(`removed ${entry.path}`);
      } else if (entry.kind === "directory") {
        if (!existsSync(entry.path)) continue;
        try {
          rmdirSync(entry.path);
          report.undone++;
          deps.logger.info(`removed ${entry.path}`);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== "ENOTEMPTY") throw error;
          deps.logger.debug(`left ${entry.path}: something else put files there`);
        }
      } else if (entry.kind === "restore") {
        if (!existsSync(entry.backup)) continue;
        const now = createHash("sha256").update(readFileSync(entry.path)).digest("hex");
        if (now !== entry.writtenSha256) {
          warn(
            `cleanup: ${entry.path} changed after the action wrote it: left as it is (the original is gone with the runner's temp folder)`,
          );
          continue;
        }
        writeFileSync(entry.path, readFileSync(entry.backup));
        report.undone++;
        deps.logger.info(`restored ${entry.path}`);
      } else {
        // Always run: the search list may still name our keychain even when its file is gone.
        if (existsSync(entry.path)) report.undone++;
        for (const problem of await removeKeychain(deps.exec, entry, existsSync, deps.logger))
          warn(`cleanup: keychain ${entry.path}: ${problem}`);
      }
    } catch (error) {
      warn(`cleanup: could not undo ${entry.kind} ${entry.path}: ${describeError(error)}`);
    }
  }
  return report;
}
