// The Xcode project reader's API for the action: read a project (or workspace), find what a profile
// type signs with bundle IDs and entitlements, derive capabilities, compare with installed profiles,
// and write manual signing into the project file.

export type { ManualSigning, SettingChange, SigningEdit } from "./configure-project.ts";
export { configureProjectSigning } from "./configure-project.ts";
export type {
  DerivedCapability,
  EntitlementCapabilities,
  ReportedEntitlement,
} from "./entitlement-capabilities.ts";
export { capabilitiesFromEntitlements, capabilityRequests } from "./entitlement-capabilities.ts";
export { ENTITLEMENT_RULES, entitlementRule } from "./entitlement-table.ts";
export type { Entitlements } from "./entitlements-file.ts";
export type { PreflightProfile, PreflightRow, PreflightTarget } from "./entitlements-preflight.ts";
export { preflightEntitlements } from "./entitlements-preflight.ts";
export type { ProjectFiles } from "./project-files.ts";
export { diskFiles } from "./project-files.ts";
export type {
  NotSignableTarget,
  ProjectSigning,
  ProjectSigningOptions,
  SignableTarget,
  SigningPlatform,
  XcodeProblem,
} from "./signable-targets.ts";
export { assertNoProblems, projectSigning, readProjectSigning } from "./signable-targets.ts";
export { XcodeProjectError } from "./xcode-errors.ts";
export type { XcodeProjectFile, XcodeWorkspace } from "./xcode-project.ts";
export { readXcodeWorkspace } from "./xcode-project.ts";
