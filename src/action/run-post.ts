// The post step: undo what main recorded on the runner (never App Store Connect resources), newest first.
// Never fails the job: every problem is a warning. Runs safely after a main that failed half-way (only
// what was recorded is undone) and a second time (nothing left to do).
import * as core from "@actions/core";
import { undoRecordedEntries } from "../core/cleanup.ts";
import { describeError } from "../core/errors.ts";
import type { Exec } from "../core/ports.ts";
import { ACTION_NAME } from "./action-metadata.ts";
import { createProcessExec } from "./exec.ts";
import { createActionsLogger } from "./logger.ts";
import { loadCleanupRecord } from "./state.ts";

export interface PostDeps {
  exec: Exec;
}

export async function runPost(overrides: Partial<PostDeps> = {}): Promise<void> {
  const deps: PostDeps = { exec: createProcessExec(), ...overrides };
  const logger = createActionsLogger();
  try {
    const record = loadCleanupRecord((name) => core.getState(name));
    if (!record || record.entries.length === 0) {
      core.info(`${ACTION_NAME}: nothing was installed, nothing to clean up`);
      return;
    }
    if (!record.cleanup) {
      core.info(
        `${ACTION_NAME}: cleanup is false, leaving ${record.entries.length} installed item(s) in place`,
      );
      return;
    }
    await logger.group("Clean up", async () => {
      const report = await undoRecordedEntries(record.entries, { exec: deps.exec, logger });
      core.info(
        report.undone === 0
          ? "nothing left to clean up"
          : `cleaned up ${report.undone} item(s)${report.warnings.length ? ` with ${report.warnings.length} warning(s)` : ""}`,
      );
    });
  } catch (error) {
    core.warning(`${ACTION_NAME} post: ${describeError(error)}`);
  }
}
