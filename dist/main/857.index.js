export const id = 857;
export const ids = [857];
export const modules = {

/***/ 69857:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   readPkcs12: () => (/* binding */ readPkcs12)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_forge__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8542);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(43026);
/* harmony import */ var _key_material_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(3698);
// Reading a .p12 the user exported (Keychain Access, openssl legacy or modern), with node-forge. Writing
// one that macOS accepts lives in pkcs12-build.ts (each is its own lazily loaded chunk).




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
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .dz([{ input: name, message }]);
    };
    const bytes = pkcs12Bytes(raw, opts.readFile, (message) => fail(input, message));
    let asn1;
    try {
        asn1 = node_forge__WEBPACK_IMPORTED_MODULE_1__.asn1.fromDer(node_forge__WEBPACK_IMPORTED_MODULE_1__.util.createBuffer(bytes.toString("binary")), false);
    }
    catch {
        return fail(input, `is not a PKCS#12 file (its bytes are not ASN.1): truncated? ${EXPORT_HINT}`);
    }
    let pfx;
    try {
        pfx = node_forge__WEBPACK_IMPORTED_MODULE_1__.pkcs12.pkcs12FromAsn1(asn1, false, password);
    }
    catch (error) {
        const reason = error instanceof Error ? error.message : "";
        if (/password|MAC could not be verified|decrypt/i.test(reason))
            return fail(passwordInput, password === ""
                ? "is empty, and the .p12 needs a password: set it to the password chosen when exporting the .p12."
                : "the password does not open this .p12: check the secret holds the password chosen when exporting it.");
        return fail(input, `could not be read as PKCS#12 (${reason.replace(/[^\w .,#()-]/g, "").slice(0, 120) || "unknown structure"}). ${EXPORT_HINT}`);
    }
    const keys = bagsOf(pfx, node_forge__WEBPACK_IMPORTED_MODULE_1__.pki.oids.pkcs8ShroudedKeyBag ?? "", node_forge__WEBPACK_IMPORTED_MODULE_1__.pki.oids.keyBag ?? "")
        .map(keyFromBag)
        .filter((k) => k !== undefined);
    const certificates = bagsOf(pfx, node_forge__WEBPACK_IMPORTED_MODULE_1__.pki.oids.certBag ?? "")
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
            if ((0,_key_material_js__WEBPACK_IMPORTED_MODULE_3__/* .looksLikePath */ .j8)(text))
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
    if ((0,_key_material_js__WEBPACK_IMPORTED_MODULE_3__/* .looksLikePath */ .j8)(text))
        return fail("is a path to a file that does not exist.");
    return fail(`is neither base64 of a .p12 nor a path to one. ${EXPORT_HINT}`);
}
function bagsOf(pfx, ...types) {
    return pfx.safeContents.flatMap((contents) => contents.safeBags.filter((bag) => types.includes(bag.type)));
}
function keyFromBag(bag) {
    // forge parses RSA keys; for other kinds it keeps the PrivateKeyInfo ASN.1.
    const info = bag.key
        ? node_forge__WEBPACK_IMPORTED_MODULE_1__.pki.wrapRsaPrivateKey(node_forge__WEBPACK_IMPORTED_MODULE_1__.pki.privateKeyToAsn1(bag.key))
        : bag.asn1;
    if (!info)
        return undefined;
    try {
        const der = Buffer.from(node_forge__WEBPACK_IMPORTED_MODULE_1__.asn1.toDer(info).getBytes(), "binary");
        return (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createPrivateKey)({ key: der, format: "der", type: "pkcs8" });
    }
    catch {
        return undefined;
    }
}
function certificateFromBag(bag) {
    const asn1 = bag.cert ? node_forge__WEBPACK_IMPORTED_MODULE_1__.pki.certificateToAsn1(bag.cert) : bag.asn1;
    if (!asn1)
        return undefined;
    return Uint8Array.from(Buffer.from(node_forge__WEBPACK_IMPORTED_MODULE_1__.asn1.toDer(asn1).getBytes(), "binary"));
}
function certificateHoldsKey(der, key) {
    try {
        return new node_crypto__WEBPACK_IMPORTED_MODULE_0__.X509Certificate(der).checkPrivateKey(key);
    }
    catch {
        return false;
    }
}


/***/ })

};
