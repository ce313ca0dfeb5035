// Logger on @actions/core: one collapsible group per unit of work. The runner cannot nest groups, so a
// group opened inside another is logged as a plain line.
import type { Logger } from "../core/ports.ts";
import type { ActionsCore } from "./actions-core.ts";

export function createActionsLogger(
  core: Pick<ActionsCore, "debug" | "info" | "warning" | "error" | "startGroup" | "endGroup">,
): Logger {
  let depth = 0;
  return {
    debug: (message) => core.debug(message),
    info: (message) => core.info(message),
    warning: (message) => core.warning(message),
    error: (message) => core.error(message),
    async group<T>(name: string, fn: () => Promise<T>): Promise<T> {
      if (depth > 0) {
        core.info(`— ${name}`);
        return fn();
      }
      depth++;
      core.startGroup(name);
      try {
        return await fn();
      } finally {
        core.endGroup();
        depth--;
      }
    },
  };
}
