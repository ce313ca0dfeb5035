// Writes each provisioning profile as `<UUID><ext>` into every profile folder (both Xcode folders on
// macOS), recording each file written so that the post step removes exactly those.
import { join } from "node:path";
import type { Logger, StateRecorder } from "../ports.ts";
import type { ProfileResult } from "../result.ts";
import { profileFileName } from "./paths.ts";
import { writeRecordedFile } from "./recorded-files.ts";

export interface InstalledProfile {
  bundleId: string;
  uuid: string;
  /** Every path written (or found identical), in folder order; the first is the one reported. */
  paths: string[];
}

export function installProfiles(
  profiles: ProfileResult[],
  directories: string[],
  recorder: StateRecorder,
  logger: Logger,
): InstalledProfile[] {
  return profiles.map((profile) => {
    const paths = directories.map((dir) => {
      const path = join(dir, profileFileName(profile.uuid, profile.extension));
      const outcome = writeRecordedFile(path, profile.content, recorder);
      logger.info(
        outcome === "written"
          ? `${profile.bundleId}: installed profile "${profile.name}" at ${path}`
          : `${profile.bundleId}: profile "${profile.name}" already installed at ${path} (left as it is)`,
      );
      return path;
    });
    return { bundleId: profile.bundleId, uuid: profile.uuid, paths };
  });
}
