// A .mobileprovision / .provisionprofile: a CMS SignedData (DER, or Apple's indefinite-length BER)
// around a property list. What the action decides on is read from here, not from capped API includes.
import { parse, parseBinary } from "plist";
import { SigningError } from "../errors.ts";
import { type CertificateInfo, parseCertificate } from "./certificate.ts";
import {
  type ParsedSignedData,
  parseSignedData,
  signerCertificate,
  verifySignerSignature,
} from "./cms-signed-data.ts";

export interface ProvisioningProfileInfo {
  uuid: string;
  name: string;
  teamId: string;
  teamName: string | undefined;
  appIdName: string | undefined;
  applicationIdentifierPrefix: string[];
  /** From Entitlements: application-identifier (iOS) or com.apple.application-identifier (macOS). */
  applicationIdentifier: string | undefined;
  /** applicationIdentifier without the "TEAM." prefix (may end with "*" for wildcard profiles). */
  bundleIdentifier: string | undefined;
  platforms: string[];
  creationDate: Date;
  expirationDate: Date;
  timeToLive: number | undefined;
  developerCertificates: CertificateInfo[];
  provisionedDevices: string[];
  provisionsAllDevices: boolean;
  entitlements: Record<string, unknown>;
  isXcodeManaged: boolean;
  signerCommonName: string | undefined;
}

type Dict = Record<string, unknown>;

/**
 * Parses a profile (bytes, or base64 as in `profileContent`) and checks its content against its CMS
 * signature; SigningError naming `label` for damaged input, an unsigned or foreign plist, or a mismatch.
 */
export function readProvisioningProfile(
  content: Uint8Array | string,
  opts: { label?: string } = {},
): ProvisioningProfileInfo {
  const what = describe(opts.label);
  const signed = signedData(profileBytes(content, what), what);
  const plist = readPlist(signed.content, what);

  const text = (key: string): string | undefined => (typeof plist[key] === "string" ? plist[key] : undefined);
  const strings = (key: string): string[] =>
    Array.isArray(plist[key])
      ? (plist[key] as unknown[]).filter((value): value is string => typeof value === "string")
      : [];
  const date = (key: string): Date => {
    const value = plist[key];
    if (value instanceof Date && !Number.isNaN(value.getTime())) return value;
    throw new SigningError(`${what} has no valid ${key}: not a provisioning profile?`);
  };
  const uuid = text("UUID");
  if (!uuid) throw new SigningError(`${what} has no UUID: not a provisioning profile?`);
  const signerDer = verifySigner(signed, what);

  const entitlements = isDict(plist.Entitlements) ? plist.Entitlements : {};
  const prefixes = strings("ApplicationIdentifierPrefix");
  const teamId = strings("TeamIdentifier")[0] ?? prefixes[0] ?? "";
  const applicationIdentifier = [
    entitlements["application-identifier"],
    entitlements["com.apple.application-identifier"],
  ].find((value): value is string => typeof value === "string");

  return {
    uuid,
    name: text("Name") ?? "",
    teamId,
    teamName: text("TeamName"),
    appIdName: text("AppIDName"),
    applicationIdentifierPrefix: prefixes,
    applicationIdentifier,
    bundleIdentifier: applicationIdentifier && stripPrefix(applicationIdentifier, [teamId, ...prefixes]),
    platforms: strings("Platform"),
    creationDate: date("CreationDate"),
    expirationDate: date("ExpirationDate"),
    timeToLive: typeof plist.TimeToLive === "number" ? plist.TimeToLive : undefined,
    developerCertificates: developerCertificates(plist.DeveloperCertificates, what),
    provisionedDevices: strings("ProvisionedDevices"),
    provisionsAllDevices: plist.ProvisionsAllDevices === true,
    entitlements,
    isXcodeManaged: plist.IsXcodeManaged === true,
    signerCommonName: safeCommonName(signerDer),
  };
}

/** The CMS around the profile; a bare property list (an unsigned profile) is named as such. */
function signedData(bytes: Uint8Array, what: string): ParsedSignedData {
  if (isBarePlist(bytes))
    throw new SigningError(
      `${what} is a property list without a signature, not a signed provisioning profile: Apple's profiles are a CMS SignedData around the plist (a plist extracted with \`security cms -D\` or \`openssl smime\` is not a profile; use the file as downloaded).`,
    );
  return parseSignedData(bytes, what);
}

/** XML (with or without a BOM or leading whitespace) or binary property list bytes. */
function isBarePlist(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 256));
  if (head.subarray(0, 8).toString("latin1") === "bplist00") return true;
  const text = head
    .toString("utf8")
    .replace(/^\uFEFF/, "")
    .trimStart();
  return /^<(\?xml|!DOCTYPE plist|plist)[\s>]/.test(text);
}

/** The signer's certificate, once its signature over the content has verified. */
function verifySigner(signed: ParsedSignedData, what: string): Uint8Array {
  const signer = signed.signers[0];
  if (!signer) throw new SigningError(`${what} is not signed (no signer in the CMS).`);
  const certificate = signerCertificate(signer, signed.certificates);
  if (!certificate) throw new SigningError(`${what}: the signer's certificate is not in the CMS.`);
  verifySignerSignature(signer, certificate, signed.content, what);
  return certificate;
}

function describe(label: string | undefined): string {
  return label === undefined ? "profileContent" : `profileContent of profile "${label}"`;
}

function profileBytes(content: Uint8Array | string, what: string): Uint8Array {
  if (typeof content !== "string") return content;
  const compact = content.replace(/\s+/g, "");
  if (compact === "") throw new SigningError(`${what} is empty.`);
  if (isBarePlist(Buffer.from(content.trim(), "utf8"))) return Buffer.from(content.trim(), "utf8");
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact))
    throw new SigningError(`${what} is not base64 (expected the base64 of a .mobileprovision).`);
  return Buffer.from(compact, "base64");
}

function readPlist(content: Uint8Array, what: string): Dict {
  const bytes = Buffer.from(content);
  const notPlist = (): never => {
    throw new SigningError(`${what}: the signed content is not a property list dictionary.`);
  };
  let value: unknown;
  try {
    if (bytes.subarray(0, 8).toString("latin1") === "bplist00") value = parseBinary(bytes);
    else {
      const text = bytes
        .toString("utf8")
        .replace(/^\uFEFF/, "")
        .trim();
      // Checked first: the XML parser reports malformed input on the console before throwing.
      if (!/^<(\?xml|!DOCTYPE plist|plist)[\s>]/.test(text) || !text.endsWith("</plist>")) return notPlist();
      value = parse(text);
    }
  } catch {
    return notPlist();
  }
  return isDict(value) ? value : notPlist();
}

function developerCertificates(value: unknown, what: string): CertificateInfo[] {
  if (!Array.isArray(value)) return [];
  return value.map((entry, index) => {
    if (!(entry instanceof Uint8Array))
      throw new SigningError(`${what}: DeveloperCertificates[${index}] is not certificate data.`);
    try {
      return parseCertificate(entry);
    } catch {
      throw new SigningError(`${what}: DeveloperCertificates[${index}] is not an X.509 certificate.`);
    }
  });
}

function stripPrefix(applicationIdentifier: string, prefixes: string[]): string {
  for (const prefix of prefixes)
    if (prefix && applicationIdentifier.startsWith(`${prefix}.`))
      return applicationIdentifier.slice(prefix.length + 1);
  const dot = applicationIdentifier.indexOf(".");
  return dot > 0 && /^[A-Z0-9]{10}$/.test(applicationIdentifier.slice(0, dot))
    ? applicationIdentifier.slice(dot + 1)
    : applicationIdentifier;
}

function safeCommonName(der: Uint8Array): string | undefined {
  try {
    return parseCertificate(der).commonName || undefined;
  } catch {
    return undefined;
  }
}

function isDict(value: unknown): value is Dict {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Uint8Array) &&
    !(value instanceof Date)
  );
}
