// What the configuration asks for, in the terms the read and the plan need: profile names, the
// certificate types to look for and to create, whether devices matter.
import { type ApiHost, hostHasCertificateType } from "../asc/api-host.ts";
import type { CertificateType } from "../asc/types.ts";
import type { BundleIdRequest, Config } from "../config.ts";
import { type ProfileTypeRule, profileTypeRule } from "../profile-types.ts";
import { publicKeyFingerprint } from "../signing/certificate.ts";

export interface DesiredState {
  config: Config;
  rule: ProfileTypeRule;
  /** Bundle identifier → the profile name we own for it. */
  profileNames: Map<string, string>;
  /** Certificate types we may adopt. */
  certificateTypes: CertificateType[];
  /** The type we create when none can be adopted. */
  createCertificateType: CertificateType;
  /** SHA-256 of the signing key's SubjectPublicKeyInfo. */
  keyFingerprint: string;
  /** The profile type provisions devices. */
  needsDevices: boolean;
  /** Devices must be read: the profile needs them or the config registers some. */
  readDevices: boolean;
}

export function profileName(template: string, bundle: BundleIdRequest, rule: ProfileTypeRule): string {
  const platformSuffix = rule.os === "ios" ? "" : ` ${rule.os}`;
  return template
    .replaceAll("{bundleId}", bundle.identifier)
    .replaceAll("{type}", rule.type)
    .replaceAll("{matchType}", rule.matchType)
    .replaceAll("{platformSuffix}", platformSuffix)
    .trim();
}

export function desiredState(config: Config): DesiredState {
  const rule = profileTypeRule(config.profileType);
  const certificateTypes = config.certificateType ? [config.certificateType] : rule.certificateTypes;
  const needsDevices = rule.deviceClasses.length > 0;
  return {
    config,
    rule,
    profileNames: new Map(
      config.bundleIds.map((bundle) => [
        bundle.identifier,
        profileName(config.profileNameTemplate, bundle, rule),
      ]),
    ),
    certificateTypes,
    createCertificateType: certificateTypes[0]!,
    keyFingerprint: publicKeyFingerprint(config.certificate.privateKey),
    needsDevices,
    readDevices: needsDevices || config.devices.length > 0,
  };
}

/**
 * The certificate type to create on this host: the first acceptable one the host knows (the enterprise
 * host has no DEVELOPER_ID_APPLICATION_G2, so Developer ID profiles get a DEVELOPER_ID_APPLICATION there).
 */
export function certificateTypeToCreate(desired: DesiredState, host: ApiHost): CertificateType {
  return (
    desired.certificateTypes.find((type) => hostHasCertificateType(host, type)) ??
    desired.createCertificateType
  );
}
