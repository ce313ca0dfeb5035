// The CSR sent to App Store Connect, and the key it is made from.
import { createPublicKey } from "node:crypto";
import { describe, expect, it } from "vitest";
import { SigningError } from "../../src/core/errors.ts";
import { parseCertificateKey } from "../../src/core/signing/certificate-key.ts";
import { createCsr, DEFAULT_CSR_COMMON_NAME } from "../../src/core/signing/csr.ts";
import { generateCertificateKey, privateKeyToPem } from "../../src/core/signing/key-generation.ts";
import { ecKey, rsaKey } from "../support/signing-test-kit.ts";
import { x509 } from "../support/x509-library.ts";

describe("generateCertificateKey", () => {
  it("makes an RSA 2048 key whose PKCS#8 PEM the certificate-key input accepts", () => {
    const key = generateCertificateKey();
    expect(key.asymmetricKeyType).toBe("rsa");
    expect(key.asymmetricKeyDetails?.modulusLength).toBe(2048);
    const pem = privateKeyToPem(key);
    expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(parseCertificateKey(pem, { readFile: () => undefined }).equals(key)).toBe(true);
  });
});

describe("createCsr", () => {
  it("returns a PEM CSR that verifies, signed with SHA-256 RSA, carrying the key", async () => {
    const key = rsaKey();
    const pem = await createCsr(key, { commonName: "asc-provision CI", email: "ci@example.com" });
    expect(pem).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----\n[\s\S]+\n-----END CERTIFICATE REQUEST-----/);
    const csr = new x509.Pkcs10CertificateRequest(pem);
    expect(await csr.verify()).toBe(true);
    expect(csr.signatureAlgorithm).toMatchObject({ name: "RSASSA-PKCS1-v1_5", hash: { name: "SHA-256" } });
    const spki = Buffer.from(csr.publicKey.rawData);
    expect(spki.equals(createPublicKey(key).export({ type: "spki", format: "der" }))).toBe(true);
    expect(csr.subjectName.getField("CN")).toEqual(["asc-provision CI"]);
    expect(csr.subjectName.getField("E")).toEqual(["ci@example.com"]);
  });

  it("uses a default common name and no e-mail when none is given", async () => {
    const csr = new x509.Pkcs10CertificateRequest(await createCsr(rsaKey()));
    expect(csr.subjectName.getField("CN")).toEqual([DEFAULT_CSR_COMMON_NAME]);
    expect(csr.subjectName.getField("E")).toEqual([]);
  });

  it("refuses an EC key and a public key", async () => {
    await expect(createCsr(ecKey())).rejects.toThrow(SigningError);
    await expect(createCsr(createPublicKey(rsaKey()))).rejects.toThrow(/RSA private key/);
  });
});
