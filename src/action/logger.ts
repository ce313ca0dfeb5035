// Logger on @actions/core: one collapsible group per unit of work. The runner cannot nest groups, so a
// group opened inside another is logged as a plain line.
import * as core from "@actions/core";
import type { Logger } from "../core/ports.ts";

export type LogCommands = Pick<
  typeof core,
  "debug" | "info" | "warning" | "error" | "startGroup" | "endGroup"
>;

export function createActionsLogger(commands: LogCommands = core): Logger {
  let depth = 0;
  return {
    debug: (message) => commands.debug(message),
    info: (message) => commands.info(message),
    warning: (message) => commands.warning(message),
    error: (message) => commands.error(message),
    async group<T>(name: string, fn: () => Promise<T>): Promise<T> {
      if (depth > 0) {
        commands.info(`— ${name}`);
        return fn();
      }
      depth++;
      commands.startGroup(name);
      try {
        return await fn();
      } finally {
        commands.endGroup();
        depth--;
      }
    },
  };
}
