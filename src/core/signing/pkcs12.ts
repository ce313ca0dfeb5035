// Reading a .p12 the user exported (Keychain Access, openssl legacy or modern), with node-forge. Writing
// one that macOS accepts lives in pkcs12-build.ts (each is its own lazily loaded chunk).
import { createPrivateKey, type KeyObject, X509Certificate } from "node:crypto";
import forge from "node-forge";
import { InputError } from "../errors.ts";
import { looksLikePath, type ReadFile } from "./key-material.ts";

export interface Pkcs12Contents {
  privateKey: KeyObject;
  /** The certificate whose public key is the key's; undefined when the .p12 holds none. */
  certificateDer: Uint8Array | undefined;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const EXPORT_HINT =
  "Export the certificate together with its private key (Keychain Access: select both, Export 2 items, .p12) and store the file's base64 (`base64 -i cert.p12`) as the secret.";

/**
 * Reads a .p12 given as base64 (or a path to the file, binary or base64). A wrong password is an
 * InputError on the password input; a .p12 without a private key is an InputError on the .p12 input.
 */
export function readPkcs12(
  raw: string,
  password: string,
  opts: { input?: string; passwordInput?: string; readFile: ReadFile },
): Pkcs12Contents {
  const input = opts.input ?? "certificate-p12";
  const passwordInput = opts.passwordInput ?? "certificate-p12-password";
  const fail = (name: string, message: string): never => {
    throw new InputError([{ input: name, message }]);
  };
  const bytes = pkcs12Bytes(raw, opts.readFile, (message) => fail(input, message));

  let asn1: forge.asn1.Asn1;
  try {
    asn1 = forge.asn1.fromDer(forge.util.createBuffer(bytes.toString("binary")), false);
  } catch {
    return fail(input, `is not a PKCS#12 file (its bytes are not ASN.1): truncated? ${EXPORT_HINT}`);
  }
  let pfx: forge.pkcs12.Pkcs12Pfx;
  try {
    pfx = forge.pkcs12.pkcs12FromAsn1(asn1, false, password);
  } catch (error) {
    const reason = error instanceof Error ? error.message : "";
    if (/password|MAC could not be verified|decrypt/i.test(reason))
      return fail(
        passwordInput,
        password === ""
          ? "is empty, and the .p12 needs a password: set it to the password chosen when exporting the .p12."
          : "the password does not open this .p12: check the secret holds the password chosen when exporting it.",
      );
    return fail(
      input,
      `could not be read as PKCS#12 (${reason.replace(/[^\w .,#()-]/g, "").slice(0, 120) || "unknown structure"}). ${EXPORT_HINT}`,
    );
  }

  const keys = bagsOf(pfx, forge.pki.oids.pkcs8ShroudedKeyBag ?? "", forge.pki.oids.keyBag ?? "")
    .map(keyFromBag)
    .filter((key): key is KeyObject => key !== undefined);
  const certificates = bagsOf(pfx, forge.pki.oids.certBag ?? "")
    .map(certificateFromBag)
    .filter((certificate): certificate is Uint8Array => certificate !== undefined);
  if (keys.length === 0) return fail(input, `holds no private key, only certificates. ${EXPORT_HINT}`);

  for (const privateKey of keys) {
    const certificateDer = certificates.find((der) => certificateHoldsKey(der, privateKey));
    if (certificateDer) return { privateKey, certificateDer };
  }
  return { privateKey: keys[0]!, certificateDer: undefined };
}

function pkcs12Bytes(raw: string, readFile: ReadFile, fail: (message: string) => never): Buffer {
  const text = raw.trim();
  if (text === "") return fail(`is empty. ${EXPORT_HINT}`);
  if (/-{3,}\s*BEGIN /.test(text))
    return fail(
      "looks like a PEM, not a PKCS#12: a PEM private key belongs in `certificate-private-key`; for a .p12 store its base64 (`base64 -i cert.p12`).",
    );
  if (!/[\r\n]/.test(text) && text.length <= 4096) {
    let file: Buffer | undefined;
    try {
      file = readFile(text);
    } catch (error) {
      if (looksLikePath(text))
        return fail(
          `is a path to a file that cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"}).`,
        );
    }
    if (file) {
      const inner = file.toString("latin1").replace(/\s+/g, "");
      return file[0] !== 0x30 && BASE64.test(inner) ? Buffer.from(inner, "base64") : file;
    }
  }
  const compact = text.replace(/\s+/g, "");
  if (BASE64.test(compact)) {
    const decoded = Buffer.from(compact, "base64");
    if (decoded[0] === 0x30) return decoded;
  }
  if (looksLikePath(text)) return fail("is a path to a file that does not exist.");
  return fail(`is neither base64 of a .p12 nor a path to one. ${EXPORT_HINT}`);
}

function bagsOf(pfx: forge.pkcs12.Pkcs12Pfx, ...types: string[]): forge.pkcs12.Bag[] {
  return pfx.safeContents.flatMap((contents) => contents.safeBags.filter((bag) => types.includes(bag.type)));
}

function keyFromBag(bag: forge.pkcs12.Bag): KeyObject | undefined {
  // forge parses RSA keys; for other kinds it keeps the PrivateKeyInfo ASN.1.
  const info = bag.key
    ? forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key as forge.pki.rsa.PrivateKey))
    : bag.asn1;
  if (!info) return undefined;
  try {
    const der = Buffer.from(forge.asn1.toDer(info).getBytes(), "binary");
    return createPrivateKey({ key: der, format: "der", type: "pkcs8" });
  } catch {
    return undefined;
  }
}

function certificateFromBag(bag: forge.pkcs12.Bag): Uint8Array | undefined {
  const asn1 = bag.cert ? forge.pki.certificateToAsn1(bag.cert) : bag.asn1;
  if (!asn1) return undefined;
  return Uint8Array.from(Buffer.from(forge.asn1.toDer(asn1).getBytes(), "binary"));
}

function certificateHoldsKey(der: Uint8Array, key: KeyObject): boolean {
  try {
    return new X509Certificate(der).checkPrivateKey(key);
  } catch {
    return false;
  }
}
