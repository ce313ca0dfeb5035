// Provisioning profiles: Apple's real files (DER), the same files re-encoded as Apple's streamed BER,
// the content checked against its CMS signature on every read, and the inputs that must fail.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SigningError } from "../../src/core/errors.ts";
import { parseCertificate } from "../../src/core/signing/certificate.ts";
import {
  type ProvisioningProfileInfo,
  readProvisioningProfile,
} from "../../src/core/signing/provisioning-profile.ts";
import { hasShared, sharedPath } from "../support/shared-dir.ts";

// --- A small DER reader and BER writer: Apple's newer files are indefinite-length BER with the plist in
// a constructed (chunked) OCTET STRING; openssl `cms -sign -stream` writes the same shape.
interface Tlv {
  tag: number;
  content: Uint8Array;
}

function readDer(bytes: Uint8Array): Tlv[] {
  const items: Tlv[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const tag = bytes[offset]!;
    let length = bytes[offset + 1]!;
    let header = 2;
    if (length & 0x80) {
      const count = length & 0x7f;
      length = 0;
      for (let i = 0; i < count; i++) length = length * 256 + bytes[offset + 2 + i]!;
      header += count;
    }
    items.push({ tag, content: bytes.subarray(offset + header, offset + header + length) });
    offset += header + length;
  }
  return items;
}

function der(tag: number, content: Uint8Array): Buffer {
  const length =
    content.length < 0x80
      ? [content.length]
      : content.length < 0x100
        ? [0x81, content.length]
        : content.length < 0x10000
          ? [0x82, content.length >> 8, content.length & 0xff]
          : [0x83, content.length >> 16, (content.length >> 8) & 0xff, content.length & 0xff];
  return Buffer.concat([Uint8Array.of(tag, ...length), content]);
}

const indefinite = (tag: number, parts: Uint8Array[]) =>
  Buffer.concat([Uint8Array.of(tag, 0x80), ...parts, Uint8Array.of(0, 0)]);
const encode = (items: Tlv[]) => items.map((i) => der(i.tag, i.content));

/** The pieces of a DER CMS profile down to its plist. */
function cmsParts(profile: Uint8Array) {
  const [contentInfo] = readDer(profile);
  const [contentType, explicit] = readDer(contentInfo!.content);
  const [signedData] = readDer(explicit!.content);
  const fields = readDer(signedData!.content);
  const encapIndex = fields.findIndex((f) => f.tag === 0x30 && readDer(f.content)[0]?.tag === 0x06);
  const [eContentType, eContentExplicit] = readDer(fields[encapIndex]!.content);
  const plist = readDer(eContentExplicit!.content)[0]!.content;
  return { contentType: contentType!, fields, encapIndex, eContentType: eContentType!, plist };
}

/** Re-encodes a DER profile as streamed BER, optionally with another content (then its signature breaks). */
function asStreamedBer(profile: Uint8Array, replaceContent?: Uint8Array): Buffer {
  const { contentType, fields, encapIndex, eContentType, plist } = cmsParts(profile);
  const content = replaceContent ?? plist;
  const chunks: Buffer[] = [];
  for (let i = 0; i < content.length; i += 1000) chunks.push(der(0x04, content.subarray(i, i + 1000)));
  const encap = indefinite(0x30, [...encode([eContentType]), indefinite(0xa0, [indefinite(0x24, chunks)])]);
  const signed = indefinite(0x30, [
    ...encode(fields.slice(0, encapIndex)),
    encap,
    ...encode(fields.slice(encapIndex + 1)),
  ]);
  return indefinite(0x30, [...encode([contentType]), indefinite(0xa0, [signed])]);
}

describe.skipIf(!hasShared)("Apple's profiles", () => {
  const sample = (name: string) => new Uint8Array(readFileSync(sharedPath("asc", "samples", name)));
  // Read inside the tests, never here: a describe body runs at collection time, also when skipped.
  const fixture = () =>
    JSON.parse(
      readFileSync(sharedPath("asc", "fixtures", "profile-resource-with-content.codemagic.json"), "utf8"),
    ) as { attributes: { profileContent: string; uuid: string; expirationDate: string } };
  const profiles: Record<string, () => Uint8Array | string> = {
    "codemagic wildcard development": () => sample("codemagic-io-wildcard-development.mobileprovision"),
    "fastlane App Store": () => sample("tools-fastlane-app-appstore.mobileprovision"),
    "profileContent of the codemagic fixture": () => fixture().attributes.profileContent,
  };

  const expectations: Record<string, (info: ProvisioningProfileInfo) => void> = {
    "codemagic wildcard development": (info) => {
      expect(info.uuid).toBe("89f9bbd6-ac68-4d44-ae55-00028b2519bb");
      expect(info.name).toBe("codemagic.io wildcard development");
      expect(info.teamId).toBe("X8NNQ9CYL2");
      expect(info.teamName).toBe("NEVERCODE LTD");
      expect(info.applicationIdentifier).toBe("X8NNQ9CYL2.io.codemagic.*");
      expect(info.bundleIdentifier).toBe("io.codemagic.*");
      expect(info.creationDate.toISOString()).toBe("2022-03-24T10:02:42.000Z");
      expect(info.expirationDate.toISOString()).toBe("2023-03-24T10:02:42.000Z");
      expect(info.timeToLive).toBe(365);
      expect(info.provisionedDevices).toEqual(["00008101-000960143488001E"]);
      expect(info.entitlements["get-task-allow"]).toBe(true);
      expect(info.developerCertificates).toHaveLength(1);
      expect(info.developerCertificates[0]?.organizationalUnit).toBe("X8NNQ9CYL2");
    },
    "fastlane App Store": (info) => {
      expect(info.uuid).toBe("98264c6b-5151-4349-8d0f-66691e48ae35");
      expect(info.name).toBe("tools.fastlane.app AppStore");
      expect(info.teamId).toBe("439BBM9367");
      expect(info.bundleIdentifier).toBe("tools.fastlane.app");
      expect(info.expirationDate.toISOString()).toBe("2016-11-07T20:58:52.000Z");
      expect(info.provisionedDevices).toEqual([]);
      expect(info.provisionsAllDevices).toBe(false);
      expect(info.entitlements["get-task-allow"]).toBe(false);
      expect(info.developerCertificates).toHaveLength(1);
      expect(info.developerCertificates[0]?.commonName).toBe(
        "iPhone Distribution: Felix Krause (439BBM9367)",
      );
    },
    "profileContent of the codemagic fixture": (info) => {
      expect(info.uuid).toBe("55b8fdb4-b7d2-402d-b48b-2523f7b9c384");
      expect(info.uuid).toBe(fixture().attributes.uuid);
      expect(info.teamId).toBe("X8NNQ9CYL2");
      expect(info.bundleIdentifier).toBe("io.codemagic.capybara");
      expect(info.expirationDate.getTime()).toBe(Date.parse("2020-11-28T13:56:50Z"));
      expect(info.provisionedDevices).toHaveLength(2);
      expect(info.entitlements["get-task-allow"]).toBe(true);
      expect(info.developerCertificates).toHaveLength(1);
      // The certificate inside is the codemagic .cer sample.
      const cer = parseCertificate(sample("iphone-developer-created-via-api.codemagic.cer"));
      expect(info.developerCertificates[0]?.sha1).toBe(cer.sha1);
    },
  };

  describe.each(Object.keys(profiles))("%s", (name) => {
    const content = profiles[name]!;
    const der = () => {
      const value = content();
      return typeof value === "string" ? new Uint8Array(Buffer.from(value, "base64")) : value;
    };

    it("reads the profile", () => {
      const info = readProvisioningProfile(content());
      expectations[name]!(info);
      expect(info.platforms).toEqual(["iOS"]);
      expect(info.isXcodeManaged).toBe(false);
      expect(info.signerCommonName).toBe("Apple iPhone OS Provisioning Profile Signing");
      expect(info.applicationIdentifierPrefix).toEqual([info.teamId]);
    });

    it("reads the same profile re-encoded as streamed BER (its signature still matches the content)", () => {
      const ber = asStreamedBer(der());
      expect(ber.subarray(0, 2).toString("hex")).toBe("3080");
      expectations[name]!(readProvisioningProfile(ber));
    });

    it("its plist alone (unsigned) is reported as such, as bytes, base64 or text", () => {
      const plist = Buffer.from(cmsParts(der()).plist);
      const unsigned =
        /^profileContent of profile "App" is a property list without a signature, not a signed provisioning profile/;
      expect(() => readProvisioningProfile(plist, { label: "App" })).toThrow(unsigned);
      expect(() => readProvisioningProfile(plist.toString("base64"), { label: "App" })).toThrow(unsigned);
      expect(() => readProvisioningProfile(`\n${plist.toString("utf8")}`, { label: "App" })).toThrow(
        unsigned,
      );
      expect(() => readProvisioningProfile(plist, { label: "App" })).not.toThrow(/truncated/);
    });

    it("refuses a profile whose content was altered after signing", () => {
      const original = readProvisioningProfile(content());
      const plist = Buffer.from(cmsParts(der()).plist).toString("utf8");
      const altered = asStreamedBer(der(), Buffer.from(plist.replace(original.name, `${original.name}!`)));
      expect(() => readProvisioningProfile(altered, { label: name })).toThrow(
        new RegExp(`profileContent of profile "${name}": the content does not match its signed digest`),
      );
    });
    it("throws SigningError for truncated bytes", () => {
      const bytes = der();
      for (const length of [0, 10, 200, bytes.length / 2, bytes.length - 1]) {
        expect(() =>
          readProvisioningProfile(bytes.subarray(0, Math.floor(length)), { label: "App" }),
        ).toThrow(
          length === 0
            ? /profileContent of profile "App"/
            : /profileContent of profile "App" is not a CMS SignedData: truncated\?/,
        );
      }
      const base64 = Buffer.from(bytes.subarray(0, 3000)).toString("base64");
      expect(() => readProvisioningProfile(base64)).toThrow(SigningError);
    });

    it("throws SigningError for a CMS whose content is not a plist", () => {
      const notPlist = asStreamedBer(der(), Buffer.from("this is not a property list"));
      expect(() => readProvisioningProfile(notPlist)).toThrow(/the signed content is not a property list/);
      const listNotDict = asStreamedBer(
        der(),
        Buffer.from('<?xml version="1.0"?><plist version="1.0"><array/></plist>'),
      );
      expect(() => readProvisioningProfile(listNotDict)).toThrow(SigningError);
      const noUuid = asStreamedBer(
        der(),
        Buffer.from('<?xml version="1.0"?><plist version="1.0"><dict/></plist>'),
      );
      expect(() => readProvisioningProfile(noUuid)).toThrow(/has no UUID/);
    });
  });
});

describe("readProvisioningProfile on garbage", () => {
  it.each([
    ["random bytes", () => new Uint8Array(randomBytes(512))],
    ["a DER sequence of something else", () => Uint8Array.from([0x30, 0x03, 0x02, 0x01, 0x05])],
    ["an empty string", () => ""],
    ["text that is not base64", () => "<plist>not signed</plist>"],
    ["base64 of random bytes", () => randomBytes(300).toString("base64")],
  ])("%s → SigningError", (_what, value) => {
    expect(() => readProvisioningProfile(value(), { label: "My App Store" })).toThrow(SigningError);
    expect(() => readProvisioningProfile(value(), { label: "My App Store" })).toThrow(
      /profile "My App Store"/,
    );
  });

  it("says profileContent when there is no label", () => {
    expect(() => readProvisioningProfile(Uint8Array.from([1, 2, 3]))).toThrow(
      /^profileContent is not a CMS SignedData: truncated\?$/,
    );
  });
});

const hasOpenssl3 = (() => {
  try {
    return /^OpenSSL 3\./.test(execFileSync("openssl", ["version"], { encoding: "utf8" }));
  } catch {
    return false;
  }
})();
if (!hasOpenssl3) console.log("skipped: the openssl-signed profile checks need `openssl` 3.x on PATH");

describe.skipIf(!hasOpenssl3)("a profile signed by another CA with `openssl cms -sign -stream`", () => {
  const dir = mkdtempSync(join(tmpdir(), "signing-profile-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const path = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync("openssl", args, { stdio: ["ignore", "pipe", "pipe"] });
  const plist = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0"><dict>
<key>UUID</key><string>0f0e0d0c-0b0a-4908-8706-050403020100</string>
<key>Name</key><string>Fake CA profile</string>
<key>TeamIdentifier</key><array><string>TEAM123456</string></array>
<key>Platform</key><array><string>OSX</string></array>
<key>CreationDate</key><date>2025-01-01T00:00:00Z</date>
<key>ExpirationDate</key><date>2026-01-01T00:00:00Z</date>
<key>Entitlements</key><dict><key>com.apple.application-identifier</key><string>TEAM123456.com.example.mac</string></dict>
<key>ProvisionsAllDevices</key><true/>
</dict></plist>
`;

  function signProfile(extra: string[]): Uint8Array {
    writeFileSync(path("profile.plist"), plist);
    writeFileSync(
      path("signer.ext"),
      "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\nbasicConstraints=CA:FALSE\n",
    );
    openssl(
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      path("root.key"),
      "-out",
      path("root.pem"),
      "-subj",
      "/CN=Fake Apple Root",
      "-days",
      "30",
    );
    openssl(
      "req",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      path("signer.key"),
      "-out",
      path("signer.csr"),
      "-subj",
      "/CN=Fake Profile Signing",
    );
    openssl(
      "x509",
      "-req",
      "-in",
      path("signer.csr"),
      "-CA",
      path("root.pem"),
      "-CAkey",
      path("root.key"),
      "-set_serial",
      "7",
      "-days",
      "30",
      "-out",
      path("signer.pem"),
      "-extfile",
      path("signer.ext"),
    );
    openssl(
      "cms",
      "-sign",
      "-stream",
      "-nodetach",
      "-binary",
      "-outform",
      "DER",
      "-in",
      path("profile.plist"),
      "-signer",
      path("signer.pem"),
      "-inkey",
      path("signer.key"),
      "-out",
      path("profile.p7"),
      ...extra,
    );
    return new Uint8Array(readFileSync(path("profile.p7")));
  }

  it.each([
    ["issuer and serial", []],
    ["subject key identifier", ["-keyid"]],
  ])("reads and verifies it (signer identified by %s)", async (_what, extra) => {
    const profile = signProfile(extra);
    expect(Buffer.from(profile.subarray(0, 2)).toString("hex")).toBe("3080");
    const info = readProvisioningProfile(profile);
    expect(info.uuid).toBe("0f0e0d0c-0b0a-4908-8706-050403020100");
    expect(info.applicationIdentifier).toBe("TEAM123456.com.example.mac");
    expect(info.bundleIdentifier).toBe("com.example.mac");
    expect(info.platforms).toEqual(["OSX"]);
    expect(info.provisionsAllDevices).toBe(true);
    expect(info.developerCertificates).toEqual([]);
    expect(info.signerCommonName).toBe("Fake Profile Signing");
  });
});
