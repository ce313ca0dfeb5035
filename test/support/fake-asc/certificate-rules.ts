// Certificate types: names Apple gives them, their platform, which an API key may create, and which are
// limited per team.

/** ASC `name` prefix per type: "<prefix>: <team name>" (the X.509 common name differs, see apple-ca.ts). */
import { CERTIFICATE_TYPES as SPEC_CERTIFICATE_TYPES } from "../../../src/core/asc/types.ts";
import type { IssuedCertificate } from "./apple-ca.ts";
import { resourceId } from "./ids.ts";
import type { CertificateRecord } from "./records.ts";

const NAME_PREFIXES: Readonly<Record<string, string>> = {
  DEVELOPMENT: "Apple Development",
  DISTRIBUTION: "Apple Distribution",
  IOS_DEVELOPMENT: "iOS Development",
  IOS_DISTRIBUTION: "iOS Distribution",
  MAC_APP_DEVELOPMENT: "Mac Development",
  MAC_APP_DISTRIBUTION: "Mac App Distribution",
  MAC_INSTALLER_DISTRIBUTION: "Mac Installer Distribution",
  DEVELOPER_ID_APPLICATION: "Developer ID Application",
  DEVELOPER_ID_APPLICATION_G2: "Developer ID Application",
};

/** The word Apple puts in the limit message: "You already have a current <X> certificate ...". */
const LIMIT_NAMES: Readonly<Record<string, string>> = {
  DISTRIBUTION: "Distribution",
  IOS_DISTRIBUTION: "iOS Distribution",
  MAC_APP_DISTRIBUTION: "Mac App Distribution",
  DEVELOPER_ID_APPLICATION: "Developer ID Application",
  DEVELOPER_ID_APPLICATION_G2: "Developer ID Application",
};

/** From the spec: an enumeration, shared with the client (the rules here are the fake's own). */
export const ALL_CERTIFICATE_TYPES: readonly string[] = SPEC_CERTIFICATE_TYPES;

/** Types an API key can create from a CSR; the others need the developer website or an identifier. */
export const API_CREATABLE_TYPES: ReadonlySet<string> = new Set(Object.keys(NAME_PREFIXES));

/** Types with a per-team limit of current certificates. */
export const LIMITED_TYPES: ReadonlySet<string> = new Set(Object.keys(LIMIT_NAMES));

/**
 * Types that count against one shared limit: Apple Distribution and iOS Distribution certificates
 * (codemagic-ci-cd/cli-tools#262). Every other limited type has a limit of its own.
 */
const SHARED_LIMITS: readonly (readonly string[])[] = [["DISTRIBUTION", "IOS_DISTRIBUTION"]];

/** The types whose current certificates count against the same limit as `certificateType` (itself included). */
export function limitGroup(certificateType: string): readonly string[] {
  return SHARED_LIMITS.find((g) => g.includes(certificateType)) ?? [certificateType];
}

export function certificateName(certificateType: string, teamName: string): string {
  return `${NAME_PREFIXES[certificateType] ?? certificateType}: ${teamName}`;
}

export function certificatePlatform(certificateType: string): string | undefined {
  if (certificateType === "DEVELOPMENT" || certificateType === "DISTRIBUTION") return undefined;
  if (certificateType.startsWith("IOS_")) return "IOS";
  if (certificateType.startsWith("MAC_") || certificateType.startsWith("DEVELOPER_ID_")) return "MAC_OS";
  return undefined;
}

export function limitMessage(certificateType: string): string {
  return `There is a problem with the request entity - You already have a current ${LIMIT_NAMES[certificateType] ?? certificateType} certificate or a pending certificate request.`;
}

/** The record of a certificate just issued (through the API or seeded): current and activated. */
export function issuedCertificateRecord(
  issued: IssuedCertificate,
  certificateType: string,
  teamName: string,
  name?: string,
): CertificateRecord {
  return {
    id: resourceId(),
    certificateType,
    name: name ?? certificateName(certificateType, teamName),
    displayName: teamName,
    serialNumber: issued.serialNumber,
    platform: certificatePlatform(certificateType),
    commonName: issued.commonName,
    der: issued.der,
    notBefore: issued.notBefore.getTime(),
    expiresAt: issued.notAfter.getTime(),
    activated: true,
    revoked: false,
  };
}
