// What POST /v1/profiles checks before it makes a profile, against the fake's own table (profile-rules.ts).
// Each refusal is a 409 naming the offending resource and the rule.
import { attributeInvalid, entityError, relationshipInvalid, relationshipRequired } from "./errors.ts";
import { allowedForProgram, type FakeProfileRule, profileRule } from "./profile-rules.ts";
import type { BundleIdRecord, CertificateRecord, DeviceRecord } from "./records.ts";
import type { Store } from "./store.ts";

export interface ProfileRequest {
  name: string;
  profileType: string;
  bundleIdId: string;
  certificateIds: string[];
  /** Undefined when the request has no devices relationship. */
  deviceIds: string[] | undefined;
}

export interface CheckedProfileRequest {
  rule: FakeProfileRule;
  bundle: BundleIdRecord;
  certificates: CertificateRecord[];
  devices: DeviceRecord[];
}

export function checkProfileRequest(store: Store, request: ProfileRequest): CheckedProfileRequest {
  const { profileType } = request;
  const rule = profileRule(profileType);
  if (!rule) throw attributeInvalid(`'${profileType}' is not a valid profile type.`, "profileType");
  if (!allowedForProgram(profileType, store.enterprise)) {
    throw attributeInvalid(
      store.enterprise
        ? `${profileType} profiles are not available to Apple Enterprise Program teams.`
        : `${profileType} profiles are only available to Apple Enterprise Program teams.`,
      "profileType",
    );
  }

  const bundle = store.bundleIds.get(request.bundleIdId);
  if (!bundle) throw entityError(`There is no App ID with ID '${request.bundleIdId}' on this team.`);
  if (!rule.bundlePlatforms.includes(bundle.platform)) {
    throw relationshipInvalid(
      `The App ID '${bundle.identifier}' is for platform ${bundle.platform}; a ${profileType} profile needs one for ${rule.bundlePlatforms.join(" or ")}.`,
      "bundleId",
    );
  }

  const certificateIds = [...new Set(request.certificateIds)];
  if (certificateIds.length === 0) throw relationshipRequired("certificates");
  const certificates = certificateIds.map((id) => checkCertificate(store, id, profileType, rule));

  const devices = checkDevices(store, request.deviceIds, profileType, rule);

  for (const p of store.liveProfiles()) {
    if (p.name === request.name) {
      throw attributeInvalid(
        `Multiple profiles found with the name '${request.name}'. Please remove the duplicate profiles and try again.`,
        "name",
      );
    }
  }
  return { rule, bundle, certificates, devices };
}

function checkCertificate(
  store: Store,
  id: string,
  profileType: string,
  rule: FakeProfileRule,
): CertificateRecord {
  const certificate = store.visibleCertificate(id);
  if (!certificate)
    throw relationshipInvalid(`There is no certificate with ID '${id}' on this team.`, "certificates");
  if (!rule.certificateTypes.includes(certificate.certificateType)) {
    throw relationshipInvalid(
      `The certificate '${id}' is of type ${certificate.certificateType}, which a ${profileType} profile cannot use; it takes ${rule.certificateTypes.join(" or ")}.`,
      "certificates",
    );
  }
  if (!store.isCurrent(certificate)) {
    throw relationshipInvalid(`The certificate '${id}' has expired.`, "certificates");
  }
  return certificate;
}

function checkDevices(
  store: Store,
  deviceIds: string[] | undefined,
  profileType: string,
  rule: FakeProfileRule,
): DeviceRecord[] {
  const ids = [...new Set(deviceIds ?? [])];
  const classes = rule.deviceClasses;
  if (!classes) {
    if (ids.length > 0) {
      throw relationshipInvalid(
        `${profileType} profiles do not take devices; send no devices relationship.`,
        "devices",
      );
    }
    return [];
  }
  if (ids.length === 0) {
    throw relationshipInvalid(`${profileType} profiles need at least one enabled device.`, "devices");
  }
  return ids.map((id) => {
    const device = store.devices.get(id);
    if (!device) throw relationshipInvalid(`There is no device with ID '${id}' on this team.`, "devices");
    if (device.status !== "ENABLED") {
      throw relationshipInvalid(`The device '${device.udid}' (${id}) is disabled.`, "devices");
    }
    if (!classes.includes(device.deviceClass)) {
      throw relationshipInvalid(
        `The device '${device.udid}' is a ${device.deviceClass}, which a ${profileType} profile cannot provision (${classes.join(", ")}).`,
        "devices",
      );
    }
    return device;
  });
}
