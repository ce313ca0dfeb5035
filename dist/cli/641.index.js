export const id = 641;
export const ids = [641];
export const modules = {

/***/ 3641:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  readPkcs12: () => (/* binding */ readPkcs12)
});

// UNUSED EXPORTS: buildPkcs12

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./node_modules/node-forge/lib/index.js
var lib = __webpack_require__(8542);
// EXTERNAL MODULE: ./build/src/core/errors.js
var errors = __webpack_require__(3026);
// EXTERNAL MODULE: ./build/src/core/signing/key-material.js
var key_material = __webpack_require__(3698);
;// CONCATENATED MODULE: ./build/src/core/signing/pkcs12-build.js
// A PKCS#12 that macOS `security import` accepts: the legacy profile (OpenSSL 3's AES/SHA-256 defaults
// fail there with "MAC verification failed"). Built from node-forge's ASN.1 and PKCS#12 primitives so
// that both bags use pbeWithSHAAnd3-KeyTripleDES-CBC and the certificates keep their exact DER bytes.
//
//   PFX { version 3, authSafe data { AuthenticatedSafe }, macData (SHA-1) }
//   AuthenticatedSafe = [ encryptedData(3DES) { certificate bags: leaf, then chain },
//                         data { pkcs8ShroudedKeyBag(3DES) } ]
// The key bag and the leaf's bag carry friendlyName and localKeyId (SHA-1 of the leaf's DER).


const { asn1 } = lib;
const ITERATIONS = 2048;
const OID = {
    data: "1.2.840.113549.1.7.1",
    encryptedData: "1.2.840.113549.1.7.6",
    pbeWithSHAAnd3KeyTripleDESCBC: "1.2.840.113549.1.12.1.3",
    shroudedKeyBag: "1.2.840.113549.1.12.10.1.2",
    certBag: "1.2.840.113549.1.12.10.1.3",
    x509Certificate: "1.2.840.113549.1.9.22.1",
    friendlyName: "1.2.840.113549.1.9.20",
    localKeyId: "1.2.840.113549.1.9.21",
    sha1: "1.3.14.3.2.26",
};
const U = asn1.Class.UNIVERSAL;
const T = asn1.Type;
const seq = (...items) => asn1.create(U, T.SEQUENCE, true, items);
const set = (...items) => asn1.create(U, T.SET, true, items);
const oid = (value) => asn1.create(U, T.OID, false, asn1.oidToDer(value).getBytes());
const octets = (bytes) => asn1.create(U, T.OCTETSTRING, false, bytes);
const integer = (value) => asn1.create(U, T.INTEGER, false, asn1.integerToDer(value).getBytes());
const explicit0 = (item) => asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [item]);
const der = (item) => asn1.toDer(item).getBytes();
const binary = (bytes) => Buffer.from(bytes).toString("binary");
function derivePkcs12Secrets(password) {
    const encryption = () => {
        const salt = randomBytes(8).toString("binary");
        return { salt, key: derive(password, salt, 1, 24), iv: derive(password, salt, 2, 8) };
    };
    const macSalt = randomBytes(8).toString("binary");
    return {
        password,
        keyBag: encryption(),
        certificateBags: encryption(),
        mac: { salt: macSalt, key: derive(password, macSalt, 3, 20) },
    };
}
/**
 * A legacy-profile PKCS#12 (3DES key and certificate bags, SHA-1 MAC), leaf first then the chain. With
 * `secrets` (derived ahead for the same password) only the cheap part runs here.
 */
function buildPkcs12(a) {
    if (a.secrets && a.secrets.password !== a.password)
        throw new Error("buildPkcs12: the secrets were derived for another password");
    const secrets = a.secrets ?? derivePkcs12Secrets(a.password);
    const localKeyId = createHash("sha1").update(a.certificateDer).digest("binary");
    const attributes = set(seq(oid(OID.friendlyName), set(asn1.create(U, T.BMPSTRING, false, a.friendlyName))), seq(oid(OID.localKeyId), set(octets(localKeyId))));
    const certificateBags = [a.certificateDer, ...(a.chainDer ?? [])].map((certificate, index) => {
        const bag = [
            oid(OID.certBag),
            explicit0(seq(oid(OID.x509Certificate), explicit0(octets(binary(certificate))))),
        ];
        return seq(...bag, ...(index === 0 ? [attributes] : []));
    });
    // EncryptedPrivateKeyInfo { pbeWithSHAAnd3-KeyTripleDES-CBC { salt, iterations }, ciphertext }
    const pkcs8 = binary(a.privateKey.export({ type: "pkcs8", format: "der" }));
    const shrouded = seq(pbeAlgorithm(secrets.keyBag.salt), octets(encrypt3des(pkcs8, secrets.keyBag)));
    const keyBag = seq(oid(OID.shroudedKeyBag), explicit0(shrouded), attributes);
    const authenticatedSafe = seq(encryptedData(der(seq(...certificateBags)), secrets.certificateBags), seq(oid(OID.data), explicit0(octets(der(seq(keyBag))))));
    const safeBytes = der(authenticatedSafe);
    return Uint8Array.from(Buffer.from(der(seq(integer(3), seq(oid(OID.data), explicit0(octets(safeBytes))), macData(safeBytes, secrets.mac))), "binary"));
}
const pbeAlgorithm = (salt) => seq(oid(OID.pbeWithSHAAnd3KeyTripleDESCBC), seq(octets(salt), integer(ITERATIONS)));
function encrypt3des(plain, derived) {
    const cipher = forge.cipher.createCipher("3DES-CBC", derived.key);
    cipher.start({ iv: derived.iv });
    cipher.update(forge.util.createBuffer(plain));
    cipher.finish();
    return cipher.output.getBytes();
}
/** ContentInfo { encryptedData { version 0, data, pbeWithSHAAnd3-KeyTripleDES-CBC, [0] ciphertext } }. */
function encryptedData(plain, derived) {
    const content = asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, false, encrypt3des(plain, derived));
    return seq(oid(OID.encryptedData), explicit0(seq(integer(0), seq(oid(OID.data), pbeAlgorithm(derived.salt), content))));
}
/** MacData { DigestInfo { SHA-1, HMAC-SHA1 over the AuthenticatedSafe }, salt, iterations }. */
function macData(safeBytes, derived) {
    const key = Buffer.from(derived.key, "binary");
    const mac = createHmac("sha1", key).update(Buffer.from(safeBytes, "binary")).digest("binary");
    const digestAlgorithm = seq(oid(OID.sha1), asn1.create(U, T.NULL, false, ""));
    return seq(seq(digestAlgorithm, octets(mac)), octets(derived.salt), integer(ITERATIONS));
}
/** RFC 7292 appendix B key derivation (id 1: key, 2: IV, 3: MAC key), SHA-1, node-forge's implementation. */
function derive(password, salt, id, length) {
    return forge.pkcs12.generateKey(password, forge.util.createBuffer(salt), id, ITERATIONS, length).getBytes();
}

;// CONCATENATED MODULE: ./build/src/core/signing/pkcs12.js
// Reading a .p12 the user exported (Keychain Access, openssl legacy or modern), with node-forge. Writing
// one that macOS accepts lives in pkcs12-build.ts (re-exported here).





const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const EXPORT_HINT = "Export the certificate together with its private key (Keychain Access: select both, Export 2 items, .p12) and store the file's base64 (`base64 -i cert.p12`) as the secret.";
/**
 * Reads a .p12 given as base64 (or a path to the file, binary or base64). A wrong password is an
 * InputError on the password input; a .p12 without a private key is an InputError on the .p12 input.
 */
function readPkcs12(raw, password, opts) {
    const input = opts.input ?? "certificate-p12";
    const passwordInput = opts.passwordInput ?? "certificate-p12-password";
    const fail = (name, message) => {
        throw new errors/* InputError */.dz([{ input: name, message }]);
    };
    const bytes = pkcs12Bytes(raw, opts.readFile, (message) => fail(input, message));
    let asn1;
    try {
        asn1 = lib.asn1.fromDer(lib.util.createBuffer(bytes.toString("binary")), false);
    }
    catch {
        return fail(input, `is not a PKCS#12 file (its bytes are not ASN.1): truncated? ${EXPORT_HINT}`);
    }
    let pfx;
    try {
        pfx = lib.pkcs12.pkcs12FromAsn1(asn1, false, password);
    }
    catch (error) {
        const reason = error instanceof Error ? error.message : "";
        if (/password|MAC could not be verified|decrypt/i.test(reason))
            return fail(passwordInput, password === ""
                ? "is empty, and the .p12 needs a password: set it to the password chosen when exporting the .p12."
                : "the password does not open this .p12: check the secret holds the password chosen when exporting it.");
        return fail(input, `could not be read as PKCS#12 (${reason.replace(/[^\w .,#()-]/g, "").slice(0, 120) || "unknown structure"}). ${EXPORT_HINT}`);
    }
    const keys = bagsOf(pfx, lib.pki.oids.pkcs8ShroudedKeyBag ?? "", lib.pki.oids.keyBag ?? "")
        .map(keyFromBag)
        .filter((k) => k !== undefined);
    const certificates = bagsOf(pfx, lib.pki.oids.certBag ?? "")
        .map(certificateFromBag)
        .filter((c) => c !== undefined);
    if (keys.length === 0)
        return fail(input, `holds no private key, only certificates. ${EXPORT_HINT}`);
    for (const privateKey of keys) {
        const certificateDer = certificates.find((der) => certificateHoldsKey(der, privateKey));
        if (certificateDer)
            return { privateKey, certificateDer };
    }
    return { privateKey: keys[0], certificateDer: undefined };
}
function pkcs12Bytes(raw, readFile, fail) {
    const text = raw.trim();
    if (text === "")
        return fail(`is empty. ${EXPORT_HINT}`);
    if (/-{3,}\s*BEGIN /.test(text))
        return fail("looks like a PEM, not a PKCS#12: a PEM private key belongs in `certificate-private-key`; for a .p12 store its base64 (`base64 -i cert.p12`).");
    if (!/[\r\n]/.test(text) && text.length <= 4096) {
        let file;
        try {
            file = readFile(text);
        }
        catch (error) {
            if ((0,key_material/* looksLikePath */.j8)(text))
                return fail(`is a path to a file that cannot be read (${error.code ?? "error"}).`);
        }
        if (file) {
            const inner = file.toString("latin1").replace(/\s+/g, "");
            return file[0] !== 0x30 && BASE64.test(inner) ? Buffer.from(inner, "base64") : file;
        }
    }
    const compact = text.replace(/\s+/g, "");
    if (BASE64.test(compact)) {
        const decoded = Buffer.from(compact, "base64");
        if (decoded[0] === 0x30)
            return decoded;
    }
    if ((0,key_material/* looksLikePath */.j8)(text))
        return fail("is a path to a file that does not exist.");
    return fail(`is neither base64 of a .p12 nor a path to one. ${EXPORT_HINT}`);
}
function bagsOf(pfx, ...types) {
    return pfx.safeContents.flatMap((contents) => contents.safeBags.filter((bag) => types.includes(bag.type)));
}
function keyFromBag(bag) {
    // forge parses RSA keys; for other kinds it keeps the PrivateKeyInfo ASN.1.
    const info = bag.key
        ? lib.pki.wrapRsaPrivateKey(lib.pki.privateKeyToAsn1(bag.key))
        : bag.asn1;
    if (!info)
        return undefined;
    try {
        const der = Buffer.from(lib.asn1.toDer(info).getBytes(), "binary");
        return (0,external_node_crypto_.createPrivateKey)({ key: der, format: "der", type: "pkcs8" });
    }
    catch {
        return undefined;
    }
}
function certificateFromBag(bag) {
    const asn1 = bag.cert ? lib.pki.certificateToAsn1(bag.cert) : bag.asn1;
    if (!asn1)
        return undefined;
    return Uint8Array.from(Buffer.from(lib.asn1.toDer(asn1).getBytes(), "binary"));
}
function certificateHoldsKey(der, key) {
    try {
        return new external_node_crypto_.X509Certificate(der).checkPrivateKey(key);
    }
    catch {
        return false;
    }
}


/***/ })

};
