// Every shape a private key arrives in through a secret, for the .p8 API key and the RSA signing key:
// normalised when unambiguous, otherwise an InputError that names the input and the shape, without any
// piece of the secret.
import { createPublicKey, type KeyObject } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseApiKey } from "../../src/core/signing/api-key.ts";
import { parseCertificateKey } from "../../src/core/signing/certificate-key.ts";
import { type ReadFile, readKeyMaterial, readPrivateKey } from "../../src/core/signing/key-material.ts";
import { buildPkcs12 } from "../../src/core/signing/pkcs12-build.ts";
import {
  ecKey,
  expectInputError,
  pemOf,
  rsaKey,
  secretEncodings,
  selfSignedCertificate,
} from "../support/signing-test-kit.ts";

const noFiles: ReadFile = () => undefined;
const filesOf =
  (files: Record<string, Buffer | string>): ReadFile =>
  (path) => {
    const content = files[path];
    return content === undefined ? undefined : Buffer.from(content);
  };

function shapesOf(key: KeyObject, traditional: "sec1" | "pkcs1") {
  const pem = key.export({ type: "pkcs8", format: "pem" }).toString();
  const legacyPem = key.export({ type: traditional, format: "pem" }).toString();
  const der = key.export({ type: "pkcs8", format: "der" });
  const files = {
    "/secrets/key.pem": pem,
    "/secrets/key.der": der,
    "keys/key.b64": `${der.toString("base64")}\n`,
    "/secrets/key.pem.b64": Buffer.from(pem).toString("base64"),
  };
  return {
    files,
    shapes: {
      "PEM (PKCS#8)": pem,
      [`PEM (${traditional === "sec1" ? "SEC1 EC PRIVATE KEY" : "PKCS#1 RSA PRIVATE KEY"})`]: legacyPem,
      "PEM with CRLF line ends": pem.replace(/\n/g, "\r\n"),
      'PEM with literal "\\n"': pem.trim().replace(/\n/g, "\\n"),
      "PEM with its newlines stripped": pem.replace(/\n/g, ""),
      "PEM with newlines turned into spaces": pem.trim().replace(/\n/g, " "),
      "PEM in JSON quotes": `"${pem.trim().replace(/\n/g, "\\n")}"`,
      "PEM with surrounding blank lines": `\n\n  ${pem}\n\n`,
      "base64 of the PEM": Buffer.from(pem).toString("base64"),
      "base64 of the PEM, wrapped at 76": Buffer.from(pem)
        .toString("base64")
        .replace(/(.{76})/g, "$1\n"),
      "base64 of the PEM with its newlines removed": Buffer.from(pem.replace(/\n/g, "")).toString("base64"),
      "bare base64 of the DER (headers missing)": der.toString("base64"),
      "bare base64 of the DER in 64-character lines": der.toString("base64").replace(/(.{64})/g, "$1\n"),
      "base64 of base64 of the PEM": Buffer.from(Buffer.from(pem).toString("base64")).toString("base64"),
      "a path to a PEM file": "/secrets/key.pem",
      "a path to a DER file": "/secrets/key.der",
      "a relative path to a base64 DER file": "keys/key.b64",
      "a path to a file with base64 of the PEM": "/secrets/key.pem.b64",
    } as Record<string, string>,
  };
}

describe.each([
  { kind: "EC P-256 (.p8)", key: () => ecKey(), traditional: "sec1" as const },
  { kind: "RSA 2048", key: () => rsaKey(2048), traditional: "pkcs1" as const },
])("readPrivateKey: $kind", ({ key, traditional }) => {
  const { files, shapes } = shapesOf(key(), traditional);
  it.each(Object.entries(shapes))("reads %s", (_shape, value) => {
    const read = readPrivateKey(value, { input: "some-key", readFile: filesOf(files) });
    expect(read.equals(key())).toBe(true);
  });

  it("says how it read the value, without the secret", () => {
    const material = readKeyMaterial(Buffer.from(shapes["PEM (PKCS#8)"]!).toString("base64"), {
      input: "some-key",
      readFile: noFiles,
    });
    expect(material.shape).toBe("base64 of a PEM (PRIVATE KEY)");
  });
});

describe("readPrivateKey: shapes it refuses", () => {
  const key = ecKey();
  const secrets = secretEncodings(key);
  const pem = key.export({ type: "pkcs8", format: "pem" }).toString();
  const refuse = (value: string, pattern: RegExp, readFile: ReadFile = noFiles) =>
    expectInputError(
      () => readPrivateKey(value, { input: "private-key", readFile }),
      "private-key",
      pattern,
      [...secrets],
    );

  it("an empty value", () => {
    refuse("", /^is empty\. /);
    refuse("   \n  ", /^is empty/);
  });

  it("a path to a file that does not exist", () => {
    refuse("/home/runner/AuthKey_ABC123DEFG.p8", /is a path to a file that does not exist/);
    refuse("./keys/signing.pem", /is a path to a file that does not exist/);
    refuse("~/AuthKey.p8", /does not exist \(`~` is not expanded/);
  });

  it("a path that cannot be read", () => {
    const denied: ReadFile = () => {
      throw Object.assign(new Error("EACCES: permission denied, open '/root/key.p8'"), { code: "EACCES" });
    };
    refuse("/root/key.p8", /cannot be read \(EACCES\)/, denied);
  });

  it("a path to an empty file", () => {
    refuse("/secrets/empty.p8", /empty file/, filesOf({ "/secrets/empty.p8": "" }));
  });

  it("garbage", () => {
    refuse("this is not a key at all", /is neither a PEM private key, nor base64, nor a path/);
    refuse("!!!???", /is neither/);
  });

  it("a certificate (PEM, base64 of the DER, and a file)", async () => {
    const cert = await selfSignedCertificate(rsaKey());
    refuse(pemOf("CERTIFICATE", cert), /looks like a certificate, not a private key/);
    refuse(
      Buffer.from(cert).toString("base64"),
      /looks like a certificate, not a private key once base64-decoded/,
    );
    refuse(
      "/tmp/cert.cer",
      /looks like a certificate, not a private key in the file/,
      filesOf({ "/tmp/cert.cer": Buffer.from(cert) }),
    );
  });

  it("a certificate and its key in one PEM: the key wins", async () => {
    const cert = await selfSignedCertificate(key);
    const read = readPrivateKey(`${pemOf("CERTIFICATE", cert)}${pem}`, {
      input: "private-key",
      readFile: noFiles,
    });
    expect(read.equals(key)).toBe(true);
  });

  it("EC parameters before the key: the key wins", () => {
    const sec1 = key.export({ type: "sec1", format: "pem" }).toString();
    const read = readPrivateKey(
      `-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n${sec1}`,
      {
        input: "private-key",
        readFile: noFiles,
      },
    );
    expect(read.equals(key)).toBe(true);
  });

  it("an OpenSSH key (PEM armour, and an OpenSSH public key line)", () => {
    const body = Buffer.concat([Buffer.from("openssh-key-v1\0"), Buffer.alloc(200, 7)]).toString("base64");
    refuse(pemOf("OPENSSH PRIVATE KEY", Buffer.from(body, "base64")), /looks like an OpenSSH key/);
    refuse(Buffer.from(body, "base64").toString("base64"), /looks like an OpenSSH key/);
    refuse(
      `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIH3l7c2c3Vmb3N0YW5kYXJkc2VjcmV0 runner@ci`,
      /OpenSSH public key/,
    );
  });

  it("a public key", () => {
    const spki = createPublicKey(key).export({ type: "spki", format: "pem" }).toString();
    refuse(spki, /looks like a public key, not a private key/);
  });

  it("an encrypted private key", () => {
    const encrypted = key
      .export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: "correct horse" })
      .toString();
    refuse(encrypted, /encrypted \(password-protected\)/);
    const legacy = rsaKey()
      .export({ type: "pkcs1", format: "pem", cipher: "aes-256-cbc", passphrase: "correct horse" })
      .toString();
    expect(legacy).toContain("Proc-Type: 4,ENCRYPTED");
    refuse(legacy, /encrypted \(password-protected\)/);
  });

  it("a PEM cut off before its END line", () => {
    refuse(pem.slice(0, 120), /cut off \(no END line\): paste the whole file/);
  });

  it("a PEM whose body was damaged", () => {
    const lines = pem.trim().split("\n");
    const damaged = [lines[0], lines[1]!.slice(0, 30), lines.at(-1)].join("\n");
    refuse(damaged, /its content is not a valid key: truncated or damaged/);
    refuse(pem.replace(/\n(.)/, "\n#$1"), /body is not base64/);
  });

  it("a base64-encoded PEM that is cut off", () => {
    refuse(
      Buffer.from(pem.slice(0, 150)).toString("base64"),
      /looks like a base64-encoded PEM block "PRIVATE KEY" that is cut off/,
    );
  });

  it("bare base64 of DER that is not a key", () => {
    refuse(
      Buffer.from([0x30, 0x03, 0x02, 0x01, 0x05]).toString("base64"),
      /looks like DER once base64-decoded, but not of a private key/,
    );
  });

  it("a PKCS#12 given as a private key", async () => {
    const signing = rsaKey();
    const p12 = buildPkcs12({
      privateKey: signing,
      certificateDer: await selfSignedCertificate(signing),
      password: "pw",
      friendlyName: "t",
    });
    refuse(Buffer.from(p12).toString("base64"), /is a PKCS#12 \(\.p12\): use `certificate-p12`/);
  });
});

describe("parseApiKey", () => {
  it("accepts EC P-256 as PKCS#8 and as SEC1", () => {
    const key = ecKey();
    for (const type of ["pkcs8", "sec1"] as const) {
      const pem = key.export({ type, format: "pem" }).toString();
      expect(parseApiKey(pem, { readFile: noFiles }).equals(key)).toBe(true);
    }
  });

  it("refuses an RSA key: it looks like a signing-certificate key; says where the .p8 comes from", () => {
    const key = rsaKey();
    const pem = key.export({ type: "pkcs8", format: "pem" }).toString();
    const error = expectInputError(
      () => parseApiKey(pem, { readFile: noFiles }),
      "private-key",
      /looks like an RSA 2048-bit key \(a signing certificate's private key/,
      secretEncodings(key),
    );
    expect(error.message).toContain("App Store Connect > Users and Access > Integrations > Team Keys");
  });

  it("refuses another EC curve, naming the curve", () => {
    const key = ecKey("p384", "secp384r1");
    expectInputError(
      () =>
        parseApiKey(key.export({ type: "pkcs8", format: "pem" }).toString(), {
          input: "api-key",
          readFile: noFiles,
        }),
      "api-key",
      /EC key on curve secp384r1, but API keys use P-256/,
      secretEncodings(key),
    );
  });

  it("names the shape and the .p8 origin for a missing file", () => {
    const error = expectInputError(
      () => parseApiKey("/tmp/AuthKey_MISSING.p8", { readFile: noFiles }),
      "private-key",
      /does not exist/,
    );
    expect(error.message).toContain("Team Keys");
  });
});

describe("parseCertificateKey", () => {
  it("accepts RSA 2048 (PKCS#8 and PKCS#1)", () => {
    const key = rsaKey();
    for (const type of ["pkcs8", "pkcs1"] as const) {
      const pem = key.export({ type, format: "pem" }).toString();
      expect(parseCertificateKey(pem, { readFile: noFiles }).equals(key)).toBe(true);
    }
  });

  it("refuses the .p8 API key pasted in the wrong input", () => {
    const key = ecKey();
    expectInputError(
      () =>
        parseCertificateKey(key.export({ type: "pkcs8", format: "pem" }).toString(), { readFile: noFiles }),
      "certificate-private-key",
      /looks like the App Store Connect API key \(\.p8, EC P-256\) pasted in the wrong input/,
      secretEncodings(key),
    );
  });

  it.each([1024, 4096])("refuses RSA %i, naming the size and how to make a 2048 one", (bits) => {
    const key = rsaKey(bits);
    expectInputError(
      () =>
        parseCertificateKey(key.export({ type: "pkcs1", format: "pem" }).toString(), { readFile: noFiles }),
      "certificate-private-key",
      new RegExp(`is an RSA ${bits}-bit key.*RSA 2048.*openssl genrsa -out signing\\.key 2048`),
      secretEncodings(key),
    );
  });

  it("names its own input in shape errors", () => {
    expectInputError(
      () => parseCertificateKey("", { readFile: noFiles }),
      "certificate-private-key",
      /^is empty\. .*openssl genrsa/,
    );
  });
});
