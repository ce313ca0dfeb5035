// The step outputs. Every name of action.yml is always written ("" when unknown), the flat ones from the
// main target (the first bundle ID).
import type { InstallReport } from "../core/install/install-on-runner.ts";
import type { ProvisionResult } from "../core/result.ts";
import type { OutputName } from "./action-metadata.ts";
import type { Degraded } from "./cache-wiring.ts";

export type Outputs = Record<OutputName, string>;

export function buildOutputs(
  result: ProvisionResult,
  install: InstallReport,
  degraded: Degraded | undefined,
  /** With `project`: bundle ID → the target(s) signed with its profile. */
  targets: Record<string, string> = {},
): Outputs {
  const certificate = result.certificate;
  const main = result.profiles[0];
  const profiles = result.profiles.map((profile) => ({
    bundleId: profile.bundleId,
    uuid: profile.uuid,
    name: profile.name,
    path: install.profilePaths[profile.bundleId] ?? "",
    expiration: profile.expirationDate,
    type: profile.profileType,
    id: profile.id,
    appId: profile.appId ?? "",
    target: targets[profile.bundleId] ?? "",
  }));
  return {
    "team-id": result.teamId,
    "certificate-id": certificate?.id ?? "",
    "certificate-serial": certificate?.serialNumber ?? "",
    "certificate-sha1": certificate?.sha1 ?? "",
    "certificate-name": certificate?.name ?? "",
    "certificate-expiration": certificate?.expirationDate ?? "",
    "signing-identity": certificate?.commonName ?? "",
    "profile-uuid": main?.uuid ?? "",
    "profile-name": main?.name ?? "",
    "profile-path": main ? (install.profilePaths[main.bundleId] ?? "") : "",
    "profile-expiration": main?.expirationDate ?? "",
    profiles: JSON.stringify(profiles),
    "app-id": main?.appId ?? "",
    "keychain-path": install.keychainPath ?? "",
    "p12-path": install.p12Path ?? "",
    "p12-password": install.p12Password ?? "",
    "export-options-path": install.exportOptionsPath ?? "",
    plan: JSON.stringify(
      result.plan.map((step) => ({ kind: step.kind, target: step.target, reason: step.reason })),
    ),
    changed: String(result.changed),
    degraded: String(degraded !== undefined),
  };
}

export function writeOutputs(setOutput: (name: string, value: string) => void, outputs: Outputs): void {
  for (const [name, value] of Object.entries(outputs)) setOutput(name, value);
}
