// The part of @actions/core the adapter uses. Passed in (the real module by default) so tests run the
// whole program per scenario with the real module writing into temporary GITHUB_* files.
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
