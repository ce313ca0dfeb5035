// configure-project on the checkout: manual signing (team, style, identity, the profile's name) written
// into each signable target's chosen configuration of its project.pbxproj, every other byte as it was
// (configureProjectSigning). The original bytes are kept in RUNNER_TEMP and recorded before the write,
// so that the post step puts them back when `cleanup` is on (and only if the file is still what we
// wrote).
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { writePrivateFile } from "../install/recorded-files.ts";
import type { Logger, StateRecorder } from "../ports.ts";
import type { ProvisionResult } from "../result.ts";
import { configureProjectSigning, type SettingChange, type SigningEdit } from "./configure-project.ts";
import type { ProjectConfig } from "./project-desired-state.ts";
import { XcodeProjectError } from "./xcode-errors.ts";

export interface ProjectFileChange {
  /** The project.pbxproj written. */
  path: string;
  changes: SettingChange[];
}

export const sha256 = (data: string | Uint8Array): string => createHash("sha256").update(data).digest("hex");

/** Writes the signing of every signable target; returns what changed per project file. */
export function writeProjectSigning(
  project: ProjectConfig,
  result: ProvisionResult,
  backupDir: string,
  recorder: StateRecorder,
  logger: Logger,
): ProjectFileChange[] {
  const certificate = result.certificate;
  if (!certificate) throw new XcodeProjectError("configure-project: no signing certificate in this run");
  const byProject = new Map<string, SigningEdit[]>();
  for (const target of project.signing.signable) {
    const profile = result.profiles.find((candidate) => candidate.bundleId === target.bundleId);
    if (!profile)
      throw new XcodeProjectError(`configure-project: no profile for ${target.target} (${target.bundleId})`);
    const edits = byProject.get(target.project) ?? [];
    edits.push({
      buildConfigurationId: target.buildConfigurationId,
      sdk: target.sdk,
      configuration: target.configuration,
      signing: { team: result.teamId, identity: certificate.commonName, profileSpecifier: profile.name },
    });
    byProject.set(target.project, edits);
  }
  const written: ProjectFileChange[] = [];
  let index = 0;
  for (const [projectPath, edits] of byProject) {
    const path = join(projectPath, "project.pbxproj");
    const original = readFileSync(path);
    const { text, changes } = configureProjectSigning(original.toString("utf8"), edits);
    if (changes.length === 0) {
      logger.info(`${path}: signing already as wanted`);
      continue;
    }
    const backup = join(backupDir, `project-${++index}.pbxproj`);
    writePrivateFile(backup, original, recorder);
    recorder.record({ kind: "restore", path, backup, writtenSha256: sha256(text) });
    writeFileSync(path, text);
    for (const change of changes)
      logger.info(
        `${path}: ${change.key} ${change.from ?? "(added)"} → ${change.to} (${change.buildConfigurationId})`,
      );
    written.push({ path, changes });
  }
  return written;
}
