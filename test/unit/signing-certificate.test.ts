// Certificates as App Store Connect and profiles carry them: Apple's real samples, and whether a
// certificate belongs to a key.
import { createPublicKey } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SigningError } from "../../src/core/errors.ts";
import {
  certificateMatchesKey,
  parseCertificate,
  publicKeyFingerprint,
} from "../../src/core/signing/certificate.ts";
import { hasShared, sharedPath } from "../support/shared-dir.ts";
import { ecKey, pemOf, rsaKey, selfSignedCertificate } from "../support/signing-test-kit.ts";

describe.skipIf(!hasShared)("parseCertificate on Apple's samples", () => {
  const sample = (name: string) => new Uint8Array(readFileSync(sharedPath("asc", "samples", name)));

  it("reads the fastlane distribution certificate", () => {
    const info = parseCertificate(sample("iphone-distribution.fastlane.cer"));
    expect(info.serialNumber).toBe("796259D1CD27CFDD");
    expect(info.commonName).toBe("iPhone Distribution: Felix Krause (439BBM9367)");
    expect(info.organizationalUnit).toBe("439BBM9367");
    expect(info.organization).toBe("Felix Krause");
    expect(info.sha1).toBe("EF4751CA452094E26A79D6F8BFDC08413CE6C90D");
    expect(info.sha256).toMatch(/^[0-9A-F]{64}$/);
    expect(info.notBefore.toISOString()).toBe("2015-12-04T03:02:08.000Z");
    expect(info.notAfter.toISOString()).toBe("2016-12-03T03:02:08.000Z");
    expect(info.spkiSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("reads the codemagic development certificate, also as base64 and as PEM", () => {
    const der = sample("iphone-developer-created-via-api.codemagic.cer");
    const info = parseCertificate(der);
    expect(info.commonName).toBe("iPhone Developer: Created via API (6HQ443353U)");
    expect(info.organizationalUnit).toBe("X8NNQ9CYL2");
    expect(info.organization).toBe("NEVERCODE LTD");
    expect(info.serialNumber).toBe("49AB0C3198F45DC0");
    expect(info.sha1).toBe("F9DAF0C5BA5C821E4625D8C43E6966CF8F638637");
    expect(info.notAfter.toISOString()).toBe("2020-11-28T11:37:45.000Z");
    expect(parseCertificate(Buffer.from(der).toString("base64")).sha1).toBe(info.sha1);
    expect(parseCertificate(pemOf("CERTIFICATE", der)).sha1).toBe(info.sha1);
    expect(Buffer.from(parseCertificate(der).der).equals(Buffer.from(der))).toBe(true);
  });

  it("does not match a key that is not the certificate's", () => {
    const info = parseCertificate(sample("iphone-distribution.fastlane.cer"));
    expect(certificateMatchesKey(info, rsaKey())).toBe(false);
  });
});

describe("parseCertificate", () => {
  it("writes the serial number as App Store Connect does: upper-case hex without leading zeros", async () => {
    const info = parseCertificate(await selfSignedCertificate(rsaKey()));
    expect(info.serialNumber).toBe("123456789ABCDEF");
    expect(info.organizationalUnit).toBe("TEAM123456");
  });

  it.each([
    ["random bytes", new Uint8Array([1, 2, 3, 4, 5])],
    ["an empty string", ""],
    ["text that is not base64", "certificate?"],
    ["base64 of something else", Buffer.from("hello, certificate").toString("base64")],
  ])("throws SigningError for %s", (_what, value) => {
    expect(() => parseCertificate(value)).toThrow(SigningError);
  });

  it("throws SigningError for a truncated certificate", async () => {
    const der = await selfSignedCertificate(rsaKey());
    expect(() => parseCertificate(der.subarray(0, der.length - 40))).toThrow(/not an X.509 certificate/);
  });
});

describe("certificate and key", () => {
  it("matches the certificate of an RSA key and not another key's", async () => {
    const key = rsaKey();
    const info = parseCertificate(await selfSignedCertificate(key));
    expect(certificateMatchesKey(info, key)).toBe(true);
    expect(info.spkiSha256).toBe(publicKeyFingerprint(key));
    expect(certificateMatchesKey(info, rsaKey(2048, "other"))).toBe(false);
    expect(certificateMatchesKey(info, ecKey())).toBe(false);
  });

  it("matches for EC keys too, and the fingerprint of the public half equals the private key's", async () => {
    const key = ecKey();
    const info = parseCertificate(await selfSignedCertificate(key));
    expect(certificateMatchesKey(info, key)).toBe(true);
    expect(publicKeyFingerprint(createPublicKey(key))).toBe(publicKeyFingerprint(key));
  });
});
