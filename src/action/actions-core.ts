// The part of @actions/core the adapter uses. Passed in (workflow-commands.ts by default: the same
// protocol without @actions/core's import cost, held to the real module by its test) so tests run the
// whole program per scenario writing into temporary GITHUB_* files.
import type * as core from "@actions/core";

export type ActionsCore = Pick<
  typeof core,
  | "getInput"
  | "setOutput"
  | "setSecret"
  | "saveState"
  | "getState"
  | "setFailed"
  | "debug"
  | "info"
  | "notice"
  | "warning"
  | "error"
  | "startGroup"
  | "endGroup"
>;
