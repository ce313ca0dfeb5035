// Reads a private key from any of the shapes secrets arrive in: PEM, PEM with literal "\n", PEM whose
// newlines were stripped or turned into spaces, base64 of a PEM, bare base64 of the DER, or a path to a
// file holding any of those (or DER). What is unambiguous is normalised; anything else fails naming the
// shape seen and the fix. Messages never carry the secret or any part of it.
import { createPrivateKey, type KeyObject, X509Certificate } from "node:crypto";
import { InputError } from "../errors.ts";

/** Reads a file; undefined when there is no such file. */
export type ReadFile = (path: string) => Buffer | undefined;

export interface ReadKeyOptions {
  /** The input the value came from, named in every message. */
  input: string;
  readFile: ReadFile;
  /** Where the right key comes from; ends every message (a generic PEM hint by default). */
  hint?: string;
}

export interface KeyMaterial {
  key: KeyObject;
  /** How the value was read, for a debug line, e.g. "base64 of a PEM (PKCS#8)"; never the secret. */
  shape: string;
}

const DEFAULT_HINT =
  "Store the whole PEM file (from its -----BEGIN line to its -----END line) in the secret, or its base64 (`base64 -i key.pem`).";

const PRIVATE_KEY_LABELS: Record<string, "pkcs8" | "sec1" | "pkcs1"> = {
  "PRIVATE KEY": "pkcs8",
  "EC PRIVATE KEY": "sec1",
  "RSA PRIVATE KEY": "pkcs1",
};

/** What a PEM block that is not a usable private key is, in words. */
const OTHER_LABELS: Record<string, string> = {
  CERTIFICATE: "a certificate, not a private key",
  "TRUSTED CERTIFICATE": "a certificate, not a private key",
  "X509 CERTIFICATE": "a certificate, not a private key",
  "PUBLIC KEY": "a public key, not a private key",
  "RSA PUBLIC KEY": "a public key, not a private key",
  "CERTIFICATE REQUEST": "a certificate signing request (CSR), not a private key",
  "NEW CERTIFICATE REQUEST": "a certificate signing request (CSR), not a private key",
  "OPENSSH PRIVATE KEY":
    "an OpenSSH key, which this action cannot read: convert it with `ssh-keygen -p -m PKCS8 -f <file>` (that rewrites the file in place) if it is the right key",
  "DSA PRIVATE KEY": "a DSA private key, which Apple does not use",
  "ENCRYPTED PRIVATE KEY":
    "an encrypted (password-protected) private key: decrypt it with `openssl pkcs8 -in key.pem -out plain.pem` and store the result",
  PKCS12: "a PKCS#12 (.p12): use `certificate-p12` (with `certificate-p12-password`)",
  "EC PARAMETERS": "EC parameters without the private key that should follow them",
};

const PKCS12_MESSAGE = "is a PKCS#12 (.p12): use `certificate-p12` (with `certificate-p12-password`) instead";
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;
const OPENSSH_PUBLIC = /^(ssh-(rsa|dss|ed25519)|ecdsa-sha2-nistp\d+|sk-\S+) [A-Za-z0-9+/]/;
const PEM_BEGIN = /-{3,}\s*BEGIN ([A-Z0-9 ]+?)\s*-{3,}/g;

class Problem extends Error {}

/** Reads a private key (see the file comment for the shapes accepted); InputError naming the shape otherwise. */
export function readPrivateKey(raw: string, opts: ReadKeyOptions): KeyObject {
  return readKeyMaterial(raw, opts).key;
}

/** As readPrivateKey, also saying how the value was read. */
export function readKeyMaterial(raw: string, opts: ReadKeyOptions): KeyMaterial {
  const hint = opts.hint ?? DEFAULT_HINT;
  try {
    return fromValue(raw, opts.readFile);
  } catch (error) {
    if (error instanceof Problem)
      throw new InputError([{ input: opts.input, message: `${error.message}. ${hint}` }]);
    throw error;
  }
}

/** Dispatches on the value's shape: PEM, a path to a file, base64; a Problem naming the shape otherwise. */
function fromValue(value: string, readFile: ReadFile): KeyMaterial {
  const text = unquote(value.trim());
  if (text === "") throw new Problem("is empty");
  if (/-{3,}\s*BEGIN /.test(text)) return fromPem(text, "", "PEM", "looks like a PEM");
  if (OPENSSH_PUBLIC.test(text)) throw new Problem("looks like an OpenSSH public key, not a private key");
  if (text.startsWith("PuTTY-User-Key-File-"))
    throw new Problem("looks like a PuTTY key, which this action cannot read");
  if (!/[\r\n]/.test(text) && text.length <= 4096) {
    const file = readPath(text, readFile);
    if (file) return fromFile(file);
  }
  const compact = text.replace(/\s+/g, "");
  if (BASE64.test(compact) || BASE64URL.test(compact)) {
    const decoded = Buffer.from(compact, BASE64.test(compact) ? "base64" : "base64url");
    const found = fromDecodedBase64(decoded);
    if (found) return found;
  }
  if (looksLikePath(text))
    throw new Problem(
      `is a path to a file that does not exist${text.startsWith("~") ? " (`~` is not expanded: use an absolute path)" : ""}`,
    );
  throw new Problem("is neither a PEM private key, nor base64, nor a path to an existing file");
}

function readPath(path: string, readFile: ReadFile): Buffer | undefined {
  try {
    return readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (looksLikePath(path))
      throw new Problem(`is a path to a file that cannot be read${code ? ` (${code})` : ""}`);
    return undefined;
  }
}

/** The content of the file a value names: PEM, base64 (of DER or of a PEM), or DER. */
function fromFile(bytes: Buffer): KeyMaterial {
  if (bytes.length === 0) throw new Problem("is a path to an empty file");
  if (isText(bytes)) {
    const text = unquote(
      bytes
        .toString("utf8")
        .replace(/^\uFEFF/, "")
        .trim(),
    );
    if (/-{3,}\s*BEGIN /.test(text))
      return fromPem(text, " in the file it names", "a file holding a PEM", "names a file holding a PEM");
    const compact = text.replace(/\s+/g, "");
    if (compact !== "" && BASE64.test(compact)) {
      const found = fromDer(
        Buffer.from(compact, "base64"),
        " in the file it names",
        "a file holding base64 DER",
      );
      if (found) return found;
      const inner = Buffer.from(compact, "base64");
      if (isText(inner) && /-{3,}\s*BEGIN /.test(inner.toString("utf8")))
        return fromPem(
          inner.toString("utf8"),
          " in the file it names",
          "a file holding base64 of a PEM",
          "names a file holding a base64-encoded PEM",
        );
    }
    throw new Problem("is a path to a file that holds neither a PEM private key nor base64 of one");
  }
  const found = fromDer(bytes, " in the file it names", "a file holding DER");
  if (found) return found;
  throw new Problem("is a path to a binary file that is not a DER private key");
}

/** Base64 that decodes to a PEM, to DER, or (once more) to base64. Undefined when it decodes to nothing known. */
function fromDecodedBase64(decoded: Buffer, depth = 0): KeyMaterial | undefined {
  if (decoded.length === 0) return undefined;
  if (isText(decoded)) {
    const text = decoded
      .toString("utf8")
      .replace(/^\uFEFF/, "")
      .trim();
    if (/-{3,}\s*BEGIN /.test(text))
      return fromPem(text, " once base64-decoded", "base64 of a PEM", "looks like a base64-encoded PEM");
    const compact = text.replace(/\s+/g, "");
    if (depth === 0 && compact.length >= 64 && BASE64.test(compact)) {
      const inner = fromDecodedBase64(Buffer.from(compact, "base64"), depth + 1);
      if (inner) return { key: inner.key, shape: `base64 of ${inner.shape}` };
    }
    if (OPENSSH_PUBLIC.test(text))
      throw new Problem("looks like a base64-encoded OpenSSH public key, not a private key");
    return undefined;
  }
  return fromDer(decoded, " once base64-decoded", "base64 of the DER (PEM headers missing)");
}

/**
 * A PEM, however mangled its line breaks. The private key block wins when there are several (a key
 * after EC PARAMETERS, or a certificate and its key in one file).
 */
function fromPem(value: string, where: string, shapePrefix: string, seen: string): KeyMaterial {
  const text = value
    .replace(/\\r\\n|\\n|\\r/g, "\n")
    .replace(/\r\n?/g, "\n")
    .trim();
  const labels = [...text.matchAll(PEM_BEGIN)].map((match) => ({
    label: match[1] ?? "",
    index: match.index ?? 0,
  }));
  const chosen =
    labels.find((block) => block.label in PRIVATE_KEY_LABELS) ??
    labels.find((block) => block.label.endsWith("PRIVATE KEY")) ??
    labels.find((block) => block.label !== "EC PARAMETERS") ??
    labels[0];
  if (!chosen) throw new Problem(`${seen}, but its BEGIN line is damaged`);
  const known = chosen.label in PRIVATE_KEY_LABELS || chosen.label in OTHER_LABELS;
  const labelText = known ? `"${chosen.label}"` : "of an unknown kind";
  const rest = text.slice(chosen.index);
  const header = /^-{3,}\s*BEGIN [A-Z0-9 ]+?\s*-{3,}/.exec(rest)?.[0] ?? "";
  const endMatch = new RegExp(`-{3,}\\s*END ${chosen.label}\\s*-{3,}`).exec(rest);
  if (!endMatch) {
    const pasted = where === "" ? "paste the whole file" : "store the whole file";
    throw new Problem(
      `${seen} block ${labelText} that is cut off (no END line): ${pasted}, including its -----END line`,
    );
  }
  const body = rest.slice(header.length, endMatch.index);
  const format = PRIVATE_KEY_LABELS[chosen.label];
  if (!format) {
    const what = OTHER_LABELS[chosen.label] ?? "a PEM block that is not a private key";
    throw new Problem(`looks like ${what}${where}`);
  }
  if (/Proc-Type:\s*4,ENCRYPTED/.test(body))
    throw new Problem(
      `looks like an encrypted (password-protected) private key${where}: decrypt it with \`openssl pkey -in key.pem -out plain.pem\` and store the result`,
    );
  const compact = body.replace(/\s+/g, "").replace(/^"|"$/g, "");
  if (!BASE64.test(compact))
    throw new Problem(`${seen} block ${labelText} whose body is not base64: damaged while copying?`);
  try {
    const key = createPrivateKey({ key: Buffer.from(compact, "base64"), format: "der", type: format });
    return { key, shape: `${shapePrefix} (${chosen.label})` };
  } catch {
    throw new Problem(
      `${seen} block ${labelText}, but its content is not a valid key: truncated or damaged while copying?`,
    );
  }
}

/** DER of a private key; a typed problem for DER of something else; undefined for unknown bytes. */
function fromDer(der: Buffer, where: string, shape: string): KeyMaterial | undefined {
  for (const type of ["pkcs8", "sec1", "pkcs1"] as const) {
    try {
      return { key: createPrivateKey({ key: der, format: "der", type }), shape: `${shape} (${type})` };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ERR_MISSING_PASSPHRASE")
        throw new Problem(
          `looks like an encrypted (password-protected) private key${where}: decrypt it with \`openssl pkcs8 -inform DER -in key.der -out plain.pem\` and store the result`,
        );
    }
  }
  if (der.subarray(0, 15).toString("latin1") === "openssh-key-v1\0")
    throw new Problem(`looks like an OpenSSH key${where}, which this action cannot read`);
  if (looksLikePkcs12(der)) throw new Problem(`${PKCS12_MESSAGE}${where ? ` (found${where})` : ""}`);
  try {
    new X509Certificate(der);
    throw new Problem(`looks like a certificate, not a private key${where}`);
  } catch (error) {
    if (error instanceof Problem) throw error;
  }
  if (der[0] === 0x30)
    throw new Problem(
      `looks like DER${where}, but not of a private key (PKCS#8, SEC1 or PKCS#1): truncated or another kind of file?`,
    );
  return undefined;
}

function unquote(text: string): string {
  const quoted = /^(["'])([\s\S]*)\1$/.exec(text);
  return quoted ? (quoted[2] ?? "").trim() : text;
}

function isText(bytes: Uint8Array): boolean {
  for (const byte of bytes) {
    if (byte === 0x09 || byte === 0x0a || byte === 0x0d || (byte >= 0x20 && byte < 0x7f)) continue;
    if (byte === 0xef || byte === 0xbb || byte === 0xbf) continue; // a UTF-8 byte order mark
    return false;
  }
  return true;
}

/** A value that names a file rather than holding a key. */
export function looksLikePath(value: string): boolean {
  return (
    /^(~|\.{1,2})?[/\\]/.test(value) ||
    /^[A-Za-z]:[/\\]/.test(value) ||
    /^\$\{?[A-Z_]+/.test(value) ||
    /\.(p8|pem|key|der|txt|p12|pfx|cer|crt)$/i.test(value)
  );
}

const PFX_DATA_OID = Buffer.from("06092a864886f70d010701", "hex");

/** SEQUENCE { INTEGER 3, SEQUENCE { OID pkcs7-data, ... } }: the start of every PKCS#12. */
export function looksLikePkcs12(der: Uint8Array): boolean {
  const head = Buffer.from(der.subarray(0, 48));
  if (head[0] !== 0x30) return false;
  const version = head.indexOf(Buffer.from([0x02, 0x01, 0x03]));
  return version > 0 && version <= 6 && head.indexOf(PFX_DATA_OID) > version;
}
