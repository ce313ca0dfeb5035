// A PKCS#12 that macOS `security import` accepts: the legacy profile (OpenSSL 3's AES/SHA-256 defaults
// fail there with "MAC verification failed"). Built from node-forge's ASN.1 and PKCS#12 primitives so
// that the key bag uses pbeWithSHAAnd3-KeyTripleDES-CBC and the certificates keep their exact DER bytes.
//
//   PFX { version 3, authSafe data { AuthenticatedSafe }, macData (SHA-1) }
//   AuthenticatedSafe = [ data { certificate bags: leaf, then chain },
//                         data { pkcs8ShroudedKeyBag(3DES) } ]
// The certificates are public, so their bags are not encrypted (`openssl pkcs12 -export -certpbe NONE`):
// both of macOS's decoders read an unencrypted SafeContents like the key bag's (Security,
// OSX/libsecurity_pkcs12/lib/pkcs12Decode.cpp and OSX/sec/Security/p12import.c, authSafeElementParse,
// case CT_Data). The MAC covers both. Encrypting them would cost three more RFC 7292 derivation blocks
// (2,048 SHA-1 rounds each; the key bag and the MAC take four) for public data.
// The key bag and the leaf's bag carry friendlyName and localKeyId (SHA-1 of the leaf's DER).
import { createHash, createHmac, hash, type KeyObject, randomBytes } from "node:crypto";
import forge from "node-forge";

const { asn1 } = forge;
const ITERATIONS = 2048;
const OID = {
  data: "1.2.840.113549.1.7.1",
  pbeWithSHAAnd3KeyTripleDESCBC: "1.2.840.113549.1.12.1.3",
  shroudedKeyBag: "1.2.840.113549.1.12.10.1.2",
  certBag: "1.2.840.113549.1.12.10.1.3",
  x509Certificate: "1.2.840.113549.1.9.22.1",
  friendlyName: "1.2.840.113549.1.9.20",
  localKeyId: "1.2.840.113549.1.9.21",
  sha1: "1.3.14.3.2.26",
};

const UNIVERSAL = asn1.Class.UNIVERSAL;
const TYPE = asn1.Type;
const seq = (...items: forge.asn1.Asn1[]) => asn1.create(UNIVERSAL, TYPE.SEQUENCE, true, items);
const set = (...items: forge.asn1.Asn1[]) => asn1.create(UNIVERSAL, TYPE.SET, true, items);
const oid = (value: string) => asn1.create(UNIVERSAL, TYPE.OID, false, asn1.oidToDer(value).getBytes());
const octets = (bytes: string) => asn1.create(UNIVERSAL, TYPE.OCTETSTRING, false, bytes);
const integer = (value: number) =>
  asn1.create(UNIVERSAL, TYPE.INTEGER, false, asn1.integerToDer(value).getBytes());
const explicit0 = (item: forge.asn1.Asn1) => asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [item]);
const der = (item: forge.asn1.Asn1) => asn1.toDer(item).getBytes();
const binary = (bytes: Uint8Array) => Buffer.from(bytes).toString("binary");

/** A derivation of RFC 7292 appendix B for one encrypted part: its salt, 3DES key and IV. */
interface Derived {
  salt: string;
  key: string;
  iv: string;
}

/** Random salts and the RFC 7292 key derivations: the key bag's 3DES key and IV, the MAC key. */
interface Pkcs12Secrets {
  keyBag: Derived;
  mac: { salt: string; key: string };
}

function derivePkcs12Secrets(password: string): Pkcs12Secrets {
  const keySalt = randomBytes(8).toString("binary");
  const macSalt = randomBytes(8).toString("binary");
  return {
    keyBag: {
      salt: keySalt,
      key: derivePkcs12Key(password, keySalt, 1, 24),
      iv: derivePkcs12Key(password, keySalt, 2, 8),
    },
    mac: { salt: macSalt, key: derivePkcs12Key(password, macSalt, 3, 20) },
  };
}

/** A legacy-profile PKCS#12 (3DES key bag, plain certificate bags, SHA-1 MAC), leaf first then the chain. */
export function buildPkcs12(parts: {
  privateKey: KeyObject;
  certificateDer: Uint8Array;
  chainDer?: Uint8Array[];
  password: string;
  friendlyName: string;
}): Uint8Array {
  const secrets = derivePkcs12Secrets(parts.password);
  const localKeyId = createHash("sha1").update(parts.certificateDer).digest("binary");
  const attributes = set(
    seq(oid(OID.friendlyName), set(asn1.create(UNIVERSAL, TYPE.BMPSTRING, false, parts.friendlyName))),
    seq(oid(OID.localKeyId), set(octets(localKeyId))),
  );

  const certificateBags = [parts.certificateDer, ...(parts.chainDer ?? [])].map((certificate, index) => {
    const bag = [
      oid(OID.certBag),
      explicit0(seq(oid(OID.x509Certificate), explicit0(octets(binary(certificate))))),
    ];
    return seq(...bag, ...(index === 0 ? [attributes] : []));
  });

  // EncryptedPrivateKeyInfo { pbeWithSHAAnd3-KeyTripleDES-CBC { salt, iterations }, ciphertext }
  const pkcs8 = binary(parts.privateKey.export({ type: "pkcs8", format: "der" }));
  const shrouded = seq(pbeAlgorithm(secrets.keyBag.salt), octets(encrypt3des(pkcs8, secrets.keyBag)));
  const keyBag = seq(oid(OID.shroudedKeyBag), explicit0(shrouded), attributes);

  const data = (...bags: forge.asn1.Asn1[]) => seq(oid(OID.data), explicit0(octets(der(seq(...bags)))));
  const authenticatedSafe = seq(data(...certificateBags), data(keyBag));
  const safeBytes = der(authenticatedSafe);

  return Uint8Array.from(
    Buffer.from(
      der(seq(integer(3), seq(oid(OID.data), explicit0(octets(safeBytes))), macData(safeBytes, secrets.mac))),
      "binary",
    ),
  );
}

const pbeAlgorithm = (salt: string) =>
  seq(oid(OID.pbeWithSHAAnd3KeyTripleDESCBC), seq(octets(salt), integer(ITERATIONS)));

function encrypt3des(plain: string, derived: Derived): string {
  const cipher = forge.cipher.createCipher("3DES-CBC", derived.key);
  cipher.start({ iv: derived.iv });
  cipher.update(forge.util.createBuffer(plain));
  cipher.finish();
  return cipher.output.getBytes();
}

/** MacData { DigestInfo { SHA-1, HMAC-SHA1 over the AuthenticatedSafe }, salt, iterations }. */
function macData(safeBytes: string, derived: Pkcs12Secrets["mac"]): forge.asn1.Asn1 {
  const key = Buffer.from(derived.key, "binary");
  const mac = createHmac("sha1", key).update(Buffer.from(safeBytes, "binary")).digest("binary");
  const digestAlgorithm = seq(oid(OID.sha1), asn1.create(UNIVERSAL, TYPE.NULL, false, ""));
  return seq(seq(digestAlgorithm, octets(mac)), octets(derived.salt), integer(ITERATIONS));
}

/**
 * RFC 7292 appendix B key derivation (id 1: key, 2: IV, 3: MAC key) with SHA-1 (u = 20 digest bytes, v = 64 block bytes), on
 * node:crypto: the same bytes as node-forge's pkcs12.generateKey, without its pure-JS hashing.
 */
export function derivePkcs12Key(password: string, salt: string, id: number, length: number): string {
  const digestBytes = 20;
  const blockBytes = 64;
  const fill = (bytes: Buffer): Buffer => {
    if (bytes.length === 0) return bytes;
    const out = Buffer.alloc(blockBytes * Math.ceil(bytes.length / blockBytes));
    for (let i = 0; i < out.length; i++) out[i] = bytes[i % bytes.length]!;
    return out;
  };
  const bmpPassword = Buffer.alloc((password.length + 1) * 2);
  for (let i = 0; i < password.length; i++) bmpPassword.writeUInt16BE(password.charCodeAt(i), i * 2);
  const diversifier = Buffer.alloc(blockBytes, id);
  const input = Buffer.concat([fill(Buffer.from(salt, "binary")), fill(bmpPassword)]);
  const blocks: Buffer[] = [];
  for (let produced = 0; produced < length; produced += digestBytes) {
    let digest = hash("sha1", Buffer.concat([diversifier, input]), "buffer");
    for (let round = 1; round < ITERATIONS; round++) digest = hash("sha1", digest, "buffer");
    blocks.push(digest);
    const repeated = fill(digest).subarray(0, blockBytes);
    for (let start = 0; start < input.length; start += blockBytes) {
      let carry = 1;
      for (let offset = blockBytes - 1; offset >= 0; offset--) {
        const sum = input[start + offset]! + repeated[offset]! + carry;
        input[start + offset] = sum & 0xff;
        carry = sum >> 8;
      }
    }
  }
  return Buffer.concat(blocks).subarray(0, length).toString("binary");
}
