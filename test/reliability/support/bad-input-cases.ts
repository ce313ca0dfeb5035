// The bad-input matrix: each case is raw inputs (and, when it needs one, an account set up for it), what
// kind of failure it is, and what the message must say: the input or the cause, and the fix.
//   config: caught by parseConfig, before any request (0 requests);
//   input:  a problem found once the account was read (0 writes);
//   api:    App Store Connect (or the network) refused; nothing was written unless `writes` says so.
import type { RawInputs } from "../../../src/core/config-parse.ts";
import type { FakeAsc, FakeAscOptions } from "../../support/fake-asc/index.ts";
import { rsaKey } from "../../support/signing-test-kit.ts";
import { type Materials, p8Shapes } from "./bad-input-materials.ts";

export interface CaseKit {
  fake: FakeAsc;
  /** A bundle identifier no other case uses. */
  bundleId: string;
  m: Materials;
}

export interface BadInputCase {
  name: string;
  kind: "config" | "input" | "api";
  inputs: (k: CaseKit) => RawInputs;
  /** The input and the fix, or the cause and the fix. */
  message: RegExp;
  /** The input an InputError must name. */
  input?: string;
  /** Writes allowed (a refused create is still a write). */
  writes?: number;
  /** Further checks of the account after the run. */
  check?: (fake: FakeAsc) => void;
  /** A fresh account for this case. */
  account?: FakeAscOptions;
  setup?: (fake: FakeAsc, k: CaseKit) => void | Promise<void>;
}

const p8 = (k: CaseKit) => p8Shapes(k.fake.apiKey.privateKeyPem);

export const BAD_INPUT_CASES: BadInputCase[] = [
  // ---- the .p8 in every broken shape ----
  {
    name: "private-key cut off half-way (no END line)",
    kind: "config",
    input: "private-key",
    inputs: (k) => ({ "private-key": p8(k).cutOff }),
    message: /cut off \(no END line\): paste the whole file, including its -----END line/,
  },
  {
    name: "private-key with a truncated body",
    kind: "config",
    input: "private-key",
    inputs: (k) => ({ "private-key": p8(k).truncatedBody }),
    message: /not a valid key: truncated or damaged while copying\?.*App Store Connect > Users and Access/,
  },
  {
    name: "private-key with a damaged (non-base64) body",
    kind: "config",
    input: "private-key",
    inputs: (k) => ({ "private-key": p8(k).damagedBody }),
    message: /body is not base64: damaged while copying\?.*\.p8/,
  },
  {
    name: "private-key garbage",
    kind: "config",
    input: "private-key",
    inputs: () => ({ "private-key": "my app store connect key" }),
    message: /neither a PEM private key, nor base64, nor a path.*\.p8 file/,
  },
  {
    name: "private-key an OpenSSH private key",
    kind: "config",
    input: "private-key",
    inputs: (k) => ({ "private-key": k.m.opensshKey }),
    message: /OpenSSH key.*ssh-keygen -p -m PKCS8/,
  },
  {
    name: "private-key an OpenSSH public key",
    kind: "config",
    input: "private-key",
    inputs: (k) => ({ "private-key": k.m.opensshPublicKey }),
    message: /OpenSSH public key, not a private key.*\.p8/,
  },
  {
    name: "private-key a certificate instead of a key",
    kind: "config",
    input: "private-key",
    inputs: (k) => ({ "private-key": k.m.certificatePem }),
    message: /a certificate, not a private key.*\.p8 file/,
  },
  {
    name: "private-key a public key",
    kind: "config",
    input: "private-key",
    inputs: (k) => ({ "private-key": k.m.publicKeyPem }),
    message: /a public key, not a private key.*\.p8/,
  },
  {
    name: "private-key an encrypted key",
    kind: "config",
    input: "private-key",
    inputs: (k) => ({ "private-key": k.m.encryptedKeyPem }),
    message: /encrypted \(password-protected\).*openssl pkcs8/,
  },
  {
    name: "private-key the signing certificate's RSA key (pasted in the wrong input)",
    kind: "config",
    input: "private-key",
    inputs: (k) => ({ "private-key": k.m.signingKeyPem }),
    message: /RSA 2048-bit key .*belongs in `certificate-private-key`/,
  },
  {
    name: "private-key an EC P-384 key",
    kind: "config",
    input: "private-key",
    inputs: (k) => ({ "private-key": k.m.ec384Pem }),
    message: /curve secp384r1, but API keys use P-256.*Team Keys/,
  },
  {
    name: "private-key a path that does not exist",
    kind: "config",
    input: "private-key",
    inputs: () => ({ "private-key": "~/keys/AuthKey_ABCDE12345.p8" }),
    message: /path to a file that does not exist \(`~` is not expanded: use an absolute path\)/,
  },
  {
    name: "private-key empty",
    kind: "config",
    input: "private-key",
    inputs: () => ({ "private-key": "  " }),
    message: /is required: the contents of the AuthKey_<KEYID>\.p8 file/,
  },
  // ---- the API key's identity ----
  {
    name: "key-id of another key (401)",
    kind: "api",
    inputs: () => ({ "key-id": "ZZZZZZZZZZ" }),
    message: /rejected the API key \(401 NOT_AUTHORIZED\): check `issuer-id`, `key-id`/,
  },
  {
    name: "issuer-id of another team (401)",
    kind: "api",
    inputs: () => ({ "issuer-id": "57246542-96fe-1a63-e053-0824d011072a" }),
    message: /rejected the API key \(401 NOT_AUTHORIZED\): check `issuer-id`/,
  },
  {
    name: "a valid .p8 the team does not know (401)",
    kind: "api",
    inputs: (k) => ({ "private-key": k.m.strangerP8Pem }),
    message: /rejected the API key .*`private-key` is the \.p8 of that key/,
  },
  {
    name: "issuer-id not a UUID",
    kind: "config",
    input: "issuer-id",
    inputs: () => ({ "issuer-id": "ABCDE12345" }),
    message: /expected a UUID .*Users and Access > Integrations/,
  },
  {
    name: "key-id malformed",
    kind: "config",
    input: "key-id",
    inputs: () => ({ "key-id": "AuthKey_ABCDE12345.p8" }),
    message: /expected 10 upper-case letters and digits like 2X9R4HXF34/,
  },
  {
    name: "an individual API key (403)",
    kind: "api",
    account: {},
    inputs: (k) => {
      const individual = k.fake.addApiKey("individual");
      return {
        "issuer-id": individual.issuerId,
        "key-id": individual.keyId,
        "private-key": individual.privateKeyPem,
      };
    },
    message: /needs a team API key \(not an individual key\).*Team Keys/,
  },
  // ---- the signing key ----
  {
    name: "certificate-private-key the .p8 (pasted in the wrong input)",
    kind: "config",
    input: "certificate-private-key",
    inputs: (k) => ({ "certificate-private-key": k.fake.apiKey.privateKeyPem }),
    message: /looks like the App Store Connect API key .*belongs in `private-key`/,
  },
  {
    name: "certificate-private-key RSA 1024",
    kind: "config",
    input: "certificate-private-key",
    inputs: (k) => ({ "certificate-private-key": k.m.rsa1024Pem }),
    message:
      /RSA 1024-bit key, but Apple issues signing certificates for RSA 2048 keys only: .*openssl genrsa/,
  },
  {
    name: "certificate-private-key an EC key",
    kind: "config",
    input: "certificate-private-key",
    inputs: (k) => ({ "certificate-private-key": k.m.ec384Pem }),
    message: /is a ec key, not an RSA 2048 private key.*openssl genrsa/,
  },
  {
    name: "certificate-private-key a certificate",
    kind: "config",
    input: "certificate-private-key",
    inputs: (k) => ({ "certificate-private-key": k.m.certificatePem }),
    message: /a certificate, not a private key.*certificate-p12/,
  },
  {
    name: "certificate-private-key cut off",
    kind: "config",
    input: "certificate-private-key",
    inputs: (k) => ({ "certificate-private-key": k.m.signingKeyPem.slice(0, 700) }),
    message: /cut off \(no END line\)/,
  },
  {
    name: "certificate-private-key missing",
    kind: "config",
    input: "certificate-private-key",
    inputs: () => ({ "certificate-private-key": "" }),
    message: /is required \(or `certificate-p12`.*generate-key --out .*gh secret set.*environment secret/,
  },
  {
    name: "certificate-p12 with the wrong password",
    kind: "config",
    input: "certificate-p12-password",
    inputs: (k) => ({
      "certificate-private-key": "",
      "certificate-p12": k.m.p12Base64,
      "certificate-p12-password": "wrong password",
    }),
    message:
      /the password does not open this \.p12: check the secret holds the password chosen when exporting it/,
  },
  {
    name: "certificate-p12 not a .p12",
    kind: "config",
    input: "certificate-p12",
    inputs: () => ({
      "certificate-private-key": "",
      "certificate-p12": Buffer.from("this is not a pkcs12 file at all").toString("base64"),
      "certificate-p12-password": "x",
    }),
    message:
      /is neither base64 of a \.p12 nor a path to one\. Export the certificate together with its private key/,
  },
  {
    name: "both certificate-private-key and certificate-p12",
    kind: "config",
    input: "certificate-private-key",
    inputs: (k) => ({ "certificate-p12": k.m.p12Base64, "certificate-p12-password": "right password" }),
    message: /give either `certificate-private-key` or `certificate-p12`, not both/,
  },
  // ---- bundle IDs ----
  {
    name: "bundle-ids with an underscore",
    kind: "config",
    input: "bundle-ids",
    inputs: () => ({ "bundle-ids": "com.example.my_app" }),
    message: /"com\.example\.my_app" is not a valid bundle identifier: use letters, digits, hyphens and dots/,
  },
  {
    name: "bundle-ids with an empty segment",
    kind: "config",
    input: "bundle-ids",
    inputs: () => ({ "bundle-ids": "com..example" }),
    message: /not a valid bundle identifier.*reverse-DNS/,
  },
  {
    name: "bundle-ids wildcard not at the end",
    kind: "config",
    input: "bundle-ids",
    inputs: () => ({ "bundle-ids": "com.*.app" }),
    message: /a wildcard only as a final "\.\*"/,
  },
  {
    name: "bundle-ids wildcard for an App Store profile",
    kind: "config",
    input: "bundle-ids",
    inputs: () => ({ "bundle-ids": "com.example.*", "profile-type": "IOS_APP_STORE" }),
    message: /is a wildcard: IOS_APP_STORE profiles need an explicit bundle ID/,
  },
  {
    name: "bundle-ids empty",
    kind: "config",
    input: "bundle-ids",
    inputs: () => ({ "bundle-ids": "\n # only a comment\n" }),
    message:
      /is required \(unless `project` names the Xcode project to read them from\): one or more bundle identifiers like com\.example\.app/,
  },
  {
    name: "bundle-id-names one too few",
    kind: "config",
    input: "bundle-id-names",
    inputs: (k) => ({ "bundle-ids": `${k.bundleId}\n${k.bundleId}.widget`, "bundle-id-names": "My App" }),
    message: /has 1 names for 2 bundle IDs: give one name per line/,
  },
  {
    name: "bundle-id-names with punctuation",
    kind: "config",
    input: "bundle-id-names",
    inputs: (k) => ({ "bundle-ids": k.bundleId, "bundle-id-names": "My-App!" }),
    message: /Apple allows only letters, digits and spaces/,
  },
  // ---- profile type, platform, certificate type ----
  {
    name: "profile-type misspelt",
    kind: "config",
    input: "profile-type",
    inputs: () => ({ "profile-type": "IOS_APP_STOR" }),
    message: /unknown profile type "IOS_APP_STOR": expected one of .*IOS_APP_STORE/,
  },
  {
    name: "profile-type Mac in-house",
    kind: "config",
    input: "profile-type",
    inputs: () => ({ "profile-type": "MAC_APP_INHOUSE" }),
    message:
      /Mac in-house profiles cannot be created with an App Store Connect API key: create it in the developer portal/,
  },
  {
    name: "platform MAC_OS for an iOS profile",
    kind: "config",
    input: "platform",
    inputs: () => ({ "profile-type": "IOS_APP_STORE", platform: "MAC_OS" }),
    message:
      /MAC_OS bundle IDs cannot have this profile type: use IOS or UNIVERSAL, or leave `platform` empty/,
  },
  {
    name: "platform unknown",
    kind: "config",
    input: "platform",
    inputs: () => ({ platform: "ANDROID" }),
    message: /unknown platform "ANDROID": expected IOS, MAC_OS or UNIVERSAL/,
  },
  {
    name: "certificate-type that the profile type does not take",
    kind: "config",
    input: "certificate-type",
    inputs: () => ({ "profile-type": "IOS_APP_STORE", "certificate-type": "DEVELOPMENT" }),
    message: /IOS_APP_STORE profiles take .*DISTRIBUTION.* certificates, not DEVELOPMENT/,
  },
  {
    name: "certificate-type Developer ID Installer",
    kind: "config",
    input: "certificate-type",
    inputs: () => ({ "certificate-type": "DEVELOPER_ID_INSTALLER" }),
    message:
      /sign installer packages, not apps, and cannot be managed here: create them in the developer portal/,
  },
  // ---- capabilities ----
  {
    name: "capabilities ICLOUD without its required setting",
    kind: "config",
    input: "capabilities",
    inputs: (k) => ({ "bundle-ids": k.bundleId, capabilities: "ICLOUD" }),
    message: /ICLOUD needs ICLOUD_VERSION=<XCODE_5\|XCODE_6>, e\.g\. "ICLOUD ICLOUD_VERSION=XCODE_6"/,
  },
  {
    name: "capabilities unknown setting value",
    kind: "config",
    input: "capabilities",
    inputs: (k) => ({ "bundle-ids": k.bundleId, capabilities: "ICLOUD ICLOUD_VERSION=XCODE_9" }),
    message: /ICLOUD_VERSION=XCODE_9 is not an option Apple accepts; use one of XCODE_5, XCODE_6/,
  },
  {
    name: "capabilities unknown capability",
    kind: "config",
    input: "capabilities",
    inputs: (k) => ({ "bundle-ids": k.bundleId, capabilities: "TELEPORTATION" }),
    message: /unknown capability "TELEPORTATION"; expected one of .*PUSH_NOTIFICATIONS/,
  },
  {
    name: "capabilities with App Group identifiers",
    kind: "config",
    input: "capabilities",
    inputs: (k) => ({ "bundle-ids": k.bundleId, capabilities: "APP_GROUPS groups=group.com.example.shared" }),
    message:
      /App Group identifiers cannot be assigned with an App Store Connect API key.*assign the identifiers in the developer portal/,
  },
  {
    name: "capabilities for a bundle ID not listed",
    kind: "config",
    input: "capabilities",
    inputs: (k) => ({ "bundle-ids": k.bundleId, capabilities: "com.not.listed: PUSH_NOTIFICATIONS" }),
    message: /com\.not\.listed is not one of `bundle-ids`/,
  },
  {
    name: "capabilities on a wildcard bundle ID",
    kind: "config",
    input: "capabilities",
    inputs: () => ({
      "bundle-ids": "com.example.*",
      "profile-type": "IOS_APP_ADHOC",
      capabilities: "PUSH_NOTIFICATIONS",
    }),
    message: /wildcard bundle IDs cannot have capabilities: use an explicit bundle ID/,
  },
  // ---- devices ----
  {
    name: "devices with a malformed UDID",
    kind: "config",
    input: "devices",
    inputs: (k) => ({
      "bundle-ids": k.bundleId,
      "profile-type": "IOS_APP_ADHOC",
      devices: "QA Phone, 1234-XYZ",
    }),
    message: /"1234-XYZ" is not a device UDID .*Copy it from Finder, Xcode's Devices window/,
  },
  {
    name: "devices line without a UDID",
    kind: "config",
    input: "devices",
    inputs: (k) => ({ "bundle-ids": k.bundleId, "profile-type": "IOS_APP_ADHOC", devices: "QA Phone" }),
    message: /expected "name, udid" or "name, udid, platform" on each line/,
  },
  {
    name: "device-selection for an App Store profile",
    kind: "config",
    input: "device-selection",
    inputs: () => ({ "profile-type": "IOS_APP_STORE", "device-selection": "QA Phone" }),
    message: /IOS_APP_STORE profiles take no devices: remove `device-selection`/,
  },
  {
    name: "ad hoc on a team without devices",
    kind: "input",
    input: "devices",
    account: {},
    inputs: (k) => ({ "bundle-ids": k.bundleId, "profile-type": "IOS_APP_ADHOC" }),
    message:
      /IOS_APP_ADHOC profiles need at least one ENABLED .*device, and the team has none: register one with `devices`/,
  },
  {
    name: "device-selection naming no registered device",
    kind: "input",
    input: "device-selection",
    account: {},
    setup: (fake) => {
      fake.state.addDevice({
        name: "Phone",
        udid: "00008030-00000000000000F1",
        platform: "IOS",
        deviceClass: "IPHONE",
      });
    },
    inputs: (k) => ({
      "bundle-ids": k.bundleId,
      "profile-type": "IOS_APP_ADHOC",
      "device-selection": "Lost iPad",
    }),
    message: /"Lost iPad" matches no registered device by UDID or name: register it with `devices`/,
  },
  // ---- other inputs ----
  {
    name: "min-days-valid not a number",
    kind: "config",
    input: "min-days-valid",
    inputs: () => ({ "min-days-valid": "ten" }),
    message: /expected a whole number of days from 0 to 365, got "ten"/,
  },
  {
    name: "mode unknown",
    kind: "config",
    input: "mode",
    inputs: () => ({ mode: "yolo" }),
    message: /expected apply, plan or readonly, got "yolo"/,
  },
  {
    name: "profile-name with an unknown placeholder",
    kind: "config",
    input: "profile-name",
    inputs: () => ({ "profile-name": "{bundle} dist" }),
    message: /unknown placeholder \{bundle\}: use \{bundleId\}/,
  },
  {
    name: "api-base-url plain http to a remote host",
    kind: "config",
    input: "api-base-url",
    inputs: () => ({ "api-base-url": "http://api.appstoreconnect.apple.com" }),
    message: /must use https/,
  },
  {
    name: "api-base-url not a URL",
    kind: "config",
    input: "api-base-url",
    inputs: () => ({ "api-base-url": "api.appstoreconnect.apple.com" }),
    message: /expected a URL like https:\/\/api\.appstoreconnect\.apple\.com/,
  },
  // ---- the network and the server ----
  {
    name: "api-base-url unreachable (a closed port)",
    kind: "api",
    inputs: () => ({ "api-base-url": "http://127.0.0.1:9" }),
    message: /could not talk to 127\.0\.0\.1:9 \(ECONNREFUSED\)\. Check `api-base-url`/,
  },
  {
    name: "TLS certificate not trusted",
    kind: "api",
    account: { tls: true },
    inputs: () => ({}),
    message: /TLS certificate of 127\.0\.0\.1:\d+ could not be verified .*NODE_EXTRA_CA_CERTS/,
  },
  {
    name: "an HTML 502 page on every attempt",
    kind: "api",
    account: {},
    setup: (fake) => fake.faults.inject({ kind: "html502", when: "before", times: Number.POSITIVE_INFINITY }),
    inputs: () => ({}),
    message: /HTTP 502 .*not JSON: "502 Bad Gateway.*transient problem; run the job again.*after 5 attempts/,
  },
  {
    name: "a body that is not JSON on every attempt",
    kind: "api",
    account: {},
    setup: (fake) => fake.faults.inject({ kind: "nonjson", when: "after", times: Number.POSITIVE_INFINITY }),
    inputs: () => ({}),
    message: /body that is not JSON.*transient problem; run the job again.*after 5 attempts/,
  },
  {
    name: "license agreement not accepted (403)",
    kind: "api",
    account: {},
    setup: (fake) => fake.state.setAgreementsMissing(true),
    inputs: () => ({}),
    message: /Account Holder must accept the latest Apple Developer Program License Agreement/,
  },
  {
    name: "the distribution certificate limit reached",
    kind: "api",
    // The bundle ID is created in the same wave as the refused certificate: both are writes.
    writes: 2,
    check: (fake) => {
      if (fake.state.certificates().length !== 3) throw new Error("a certificate was created past the limit");
    },
    account: {},
    setup: async (fake) => {
      for (const name of ["one", "two", "three"])
        await fake.state.addCertificate({ certificateType: "DISTRIBUTION", publicKey: rsaKey(2048, name) });
    },
    inputs: () => ({}),
    message:
      /limit of DISTRIBUTION certificates \(DISTRIBUTION and IOS_DISTRIBUTION certificates count against one limit\).*Certificates that count against it:\n {2}- DISTRIBUTION .*\n.*Choose one:/s,
  },
];
