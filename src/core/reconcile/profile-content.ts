// Reads a profile's `profileContent` for the engine: the signed plist, its signature checked against the
// trusted roots when the engine was given any.
import { type ProvisioningProfileInfo, readProvisioningProfile } from "../signing/provisioning-profile.ts";

export function readProfileContent(
  content: string | undefined,
  trustedRoots: Uint8Array[] | undefined,
  label?: string,
): ProvisioningProfileInfo {
  return readProvisioningProfile(content ?? "", {
    ...(trustedRoots ? { trustedRootsDer: trustedRoots } : {}),
    ...(label ? { label } : {}),
  });
}
