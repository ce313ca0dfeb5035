// Reads a profile's `profileContent` for the engine: the signed plist, its content checked against its
// CMS signature.
import { type ProvisioningProfileInfo, readProvisioningProfile } from "../signing/provisioning-profile.ts";

export function readProfileContent(content: string | undefined, label?: string): ProvisioningProfileInfo {
  return readProvisioningProfile(content ?? "", label ? { label } : {});
}
