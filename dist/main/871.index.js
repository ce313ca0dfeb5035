export const id = 871;
export const ids = [871];
export const modules = {

/***/ 41871:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  applyPlan: () => (/* reexport */ applyPlan),
  formatPlan: () => (/* reexport */ formatPlan),
  makePlan: () => (/* reexport */ makePlan)
});

// EXTERNAL MODULE: ./build/src/core/asc/bundle-ids.js
var bundle_ids = __webpack_require__(72652);
// EXTERNAL MODULE: ./build/src/core/asc/json-api.js
var json_api = __webpack_require__(71568);
;// CONCATENATED MODULE: ./build/src/core/asc/capabilities.js

function toAppleSettings(s) {
    return Object.entries(s)
        .filter((entry) => entry[1] !== undefined)
        .map(([key, option]) => ({ key, options: [{ key: option, enabled: true }] }));
}
/**
 * Apple's settings as `{ settingKey: optionKey }`: the option marked enabled, or the only option when
 * none carries the flag. Settings without a key or without a chosen option are left out.
 */
function fromAppleSettings(s) {
    const result = {};
    for (const setting of s ?? []) {
        if (!setting.key)
            continue;
        const options = setting.options ?? [];
        const chosen = options.find((o) => o.enabled === true) ??
            (options.length === 1 && options[0]?.enabled === undefined ? options[0] : undefined);
        if (chosen?.key)
            result[setting.key] = chosen.key;
    }
    return result;
}
async function enableCapability(client, bundleIdId, type, settings) {
    const appleSettings = toAppleSettings(settings);
    const doc = await client.post("/v1/bundleIdCapabilities", {
        data: {
            type: "bundleIdCapabilities",
            attributes: { capabilityType: type, ...(appleSettings.length > 0 ? { settings: appleSettings } : {}) },
            relationships: { bundleId: { data: (0,json_api/* linkage */.sj)("bundleIds", bundleIdId) } },
        },
    });
    return doc.data;
}
async function updateCapability(client, capabilityId, type, settings) {
    const doc = await client.patch(`/v1/bundleIdCapabilities/${encodeURIComponent(capabilityId)}`, {
        data: {
            type: "bundleIdCapabilities",
            id: capabilityId,
            attributes: { capabilityType: type, settings: toAppleSettings(settings) },
        },
    });
    return doc.data;
}
async function disableCapability(client, capabilityId) {
    await client.delete(`/v1/bundleIdCapabilities/${encodeURIComponent(capabilityId)}`);
}

// EXTERNAL MODULE: ./build/src/core/asc/devices.js
var devices = __webpack_require__(56996);
// EXTERNAL MODULE: ./build/src/core/asc/profiles.js
var asc_profiles = __webpack_require__(90377);
// EXTERNAL MODULE: ./build/src/core/errors.js
var errors = __webpack_require__(43026);
// EXTERNAL MODULE: ./build/src/core/asc/certificates.js
var certificates = __webpack_require__(39335);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: ./node_modules/reflect-metadata/Reflect.js
var Reflect = __webpack_require__(80477);
// EXTERNAL MODULE: ./node_modules/@peculiar/x509/build/x509.cjs.js
var x509_cjs = __webpack_require__(8927);
;// CONCATENATED MODULE: ./build/src/core/signing/x509-library.js
// @peculiar/x509, initialised once: it needs the reflect-metadata polyfill loaded first and a WebCrypto
// provider. Every signing module imports x509 from here, never from the package directly.



x509_cjs/* cryptoProvider */.Ve.set(external_node_crypto_.webcrypto);


;// CONCATENATED MODULE: ./build/src/core/signing/csr.js
// A certificate signing request for App Store Connect's `POST /v1/certificates` (`csrContent`): PKCS#10,
// RSASSA-PKCS1-v1_5 with SHA-256, from the runner's RSA key. The private key never leaves the runner.



const ALGORITHM = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
const DEFAULT_CSR_COMMON_NAME = "asc-provision";
/**
 * A CSR for an RSA private key, returned as PEM text ("-----BEGIN CERTIFICATE REQUEST-----"), which
 * App Store Connect accepts as `csrContent`. The subject is the common name (default "asc-provision")
 * and, when given, the e-mail address; Apple replaces the subject with the team's own.
 */
async function createCsr(key, subject) {
    if (key.type !== "private" || key.asymmetricKeyType !== "rsa")
        throw new errors/* SigningError */.uJ("a CSR for App Store Connect needs an RSA private key (RSA 2048).");
    const privateKey = await external_node_crypto_.webcrypto.subtle.importKey("pkcs8", key.export({ type: "pkcs8", format: "der" }), ALGORITHM, false, ["sign"]);
    const publicKey = await external_node_crypto_.webcrypto.subtle.importKey("spki", (0,external_node_crypto_.createPublicKey)(key).export({ type: "spki", format: "der" }), ALGORITHM, true, ["verify"]);
    const name = [{ CN: [subject?.commonName || DEFAULT_CSR_COMMON_NAME] }];
    if (subject?.email)
        name.push({ E: [subject.email] });
    const csr = await x509_cjs/* Pkcs10CertificateRequestGenerator */.UX.create({
        name,
        keys: { privateKey, publicKey },
        signingAlgorithm: ALGORITHM,
    });
    return csr.toString("pem");
}

// EXTERNAL MODULE: ./build/src/core/signing/certificate.js
var certificate = __webpack_require__(27354);
;// CONCATENATED MODULE: ./build/src/core/reconcile/certificate-decision.js

const DAY = 86_400_000;
/** Parses what App Store Connect returned; a certificate without readable content is skipped. */
function candidateCertificates(certificates, keyFingerprint) {
    const result = [];
    for (const resource of certificates) {
        const content = resource.attributes?.certificateContent;
        if (!content)
            continue;
        let info;
        try {
            info = (0,certificate/* parseCertificate */.hB)(content);
        }
        catch {
            continue;
        }
        result.push({ resource, info, matchesKey: info.spkiSha256 === keyFingerprint });
    }
    return result;
}
function decideCertificate(candidates, options) {
    const usable = candidates
        .filter((c) => c.matchesKey && options.types.includes(c.resource.attributes?.certificateType))
        .filter((c) => c.info.notAfter.getTime() > options.now && c.resource.attributes?.activated !== false)
        .sort((a, b) => b.info.notAfter.getTime() - a.info.notAfter.getTime());
    const best = usable[0];
    if (!best) {
        const expired = candidates.some((c) => c.matchesKey && c.info.notAfter.getTime() <= options.now);
        return {
            kind: "create",
            certificateType: options.createType,
            reason: expired
                ? "the certificate for this key has expired"
                : "no certificate of an accepted type exists for this private key",
        };
    }
    const daysLeft = Math.floor((best.info.notAfter.getTime() - options.now) / DAY);
    if (options.renewDays > 0 && daysLeft < options.renewDays) {
        return {
            kind: "create",
            certificateType: best.resource.attributes?.certificateType ?? options.createType,
            reason: `certificate ${best.info.serialNumber} expires in ${daysLeft} days, within certificate-renew-days (${options.renewDays})`,
            renewing: best,
        };
    }
    return {
        kind: "adopt",
        candidate: best,
        reason: `matches the private key, expires ${best.info.notAfter.toISOString().slice(0, 10)}`,
    };
}

;// CONCATENATED MODULE: ./build/src/core/reconcile/certificate-limit.js

function certificateLimitError(type, candidates, cause) {
    const existing = candidates
        .filter((c) => c.resource.attributes?.certificateType === type)
        .map((c) => `  - ${c.resource.id} "${c.resource.attributes?.name ?? c.info.commonName}" serial ${c.info.serialNumber}, expires ${c.info.notAfter.toISOString().slice(0, 10)}${c.matchesKey ? " (matches your key)" : ""}`);
    const message = [
        `The team has reached its limit of ${type} certificates, so no certificate can be created for this private key (409 ${cause.code}: ${cause.detail || cause.title}).`,
        existing.length > 0
            ? `Existing ${type} certificates:\n${existing.join("\n")}`
            : `No ${type} certificate was listed.`,
        "Choose one:",
        "  1. give the private key (or .p12) of one of these certificates in `certificate-private-key` / `certificate-p12`, so it is adopted;",
        "  2. revoke one you no longer use in Certificates, Identifiers & Profiles (apps already shipped keep working; its profiles become invalid and are repaired on the next run);",
        "  3. set `certificate-type` to another type this profile type accepts.",
    ].join("\n");
    return new errors/* AscApiError */.oF({
        status: cause.status,
        code: cause.code,
        title: cause.title,
        detail: cause.detail,
        ...(cause.requestId ? { requestId: cause.requestId } : {}),
        errors: cause.errors,
        method: cause.method,
        path: cause.path,
        message,
        cause,
    });
}

;// CONCATENATED MODULE: ./build/src/core/reconcile/certificate-apply.js
// The signing certificate's writes: create one from a CSR of our key, settle a write whose outcome is
// unknown or that hit the limit while other jobs raced, and converge racing jobs on one certificate.





async function createOurCertificate(ctx, plan, resent = false) {
    const { client, desired, logger } = ctx;
    const decision = plan.certificate;
    if (decision.kind !== "create")
        throw new Error("unreachable");
    const type = decision.certificateType;
    const csr = await createCsr(desired.config.certificate.privateKey, { commonName: "asc-provision" });
    try {
        const resource = await (0,certificates/* createCertificate */.A)(client, { csrContent: csr, certificateType: type });
        const candidate = candidateCertificates([resource], desired.keyFingerprint)[0];
        if (!candidate?.matchesKey)
            throw new errors/* AscProvisionError */.rN(`App Store Connect returned certificate ${resource.id} that does not carry our public key.`);
        logger.info(`Certificate ${type}: created ${candidate.info.serialNumber} (${decision.reason})`);
        return candidate;
    }
    catch (error) {
        if ((0,errors/* isUnknownOutcome */.$u)(error)) {
            const listed = candidateCertificates(await (0,certificates/* listCertificates */.H)(client, [type]), desired.keyFingerprint);
            const adopted = raceCandidates(listed, plan, ctx.now)[0];
            if (adopted) {
                logger.info(`Certificate ${type}: the create went through, adopted ${adopted.info.serialNumber}`);
                return adopted;
            }
            // The re-read shows the create did not take effect: send it once more (settleCertificateRace
            // still removes a duplicate should the first one surface later).
            if (!resent)
                return createOurCertificate(ctx, plan, true);
        }
        if ((0,errors/* isConflict */.dh)(error) &&
            /already have a current|pending certificate request|maximum/i.test(`${error.detail} ${error.title}`)) {
            // Jobs racing with the same key can take the last slots between our read and our create: adopt
            // what they created for this key (settleCertificateRace then converges on the oldest).
            const listed = candidateCertificates(await (0,certificates/* listCertificates */.H)(client, [type]), desired.keyFingerprint);
            const raced = raceCandidates(listed, plan, ctx.now)[0];
            if (raced) {
                logger.info(`Certificate ${type}: the limit was reached by another job creating ${raced.info.serialNumber} for the same key; adopted it`);
                return raced;
            }
            throw certificateLimitError(type, listed, error);
        }
        throw error;
    }
}
/**
 * Current certificates for our key that did not exist when the state was read (so created by jobs
 * running now, ours included), oldest first (notBefore, then serial): the order every job converges on.
 */
function raceCandidates(listed, plan, now) {
    const known = new Set(plan.candidates.map((c) => c.resource.id));
    return listed
        .filter((c) => c.matchesKey &&
        !known.has(c.resource.id) &&
        c.info.notAfter.getTime() > now &&
        c.resource.attributes?.activated !== false)
        .sort((a, b) => a.info.notBefore.getTime() - b.info.notBefore.getTime() ||
        a.info.serialNumber.localeCompare(b.info.serialNumber));
}
/**
 * Waits until every certificate issued in the same second as ours (notBefore has whole seconds) is
 * visible: up to 1.25 s, paid only by a run that creates a certificate.
 */
async function certificateRaceGuard(ctx, ours) {
    const issuedSecond = Math.floor(ours.info.notBefore.getTime() / 1000) * 1000;
    const wait = Math.min(1500, issuedSecond + 1000 + 250 - ctx.clock.now());
    if (wait > 0)
        await ctx.sleep(wait);
}
/**
 * Jobs that start together on an account without a certificate for the key each create one. They
 * converge on the oldest (notBefore, then serial) of the certificates created for the key since the
 * state was read (one being renewed is not part of the race): once every certificate issued in the same
 * second as ours is visible, each job revokes every other one of those fresh duplicates and adopts the
 * oldest. Revoking all of them, not only its own, also removes the duplicate of a job whose create went
 * through with its answer lost (it cannot tell which one is its own). These same-key duplicates are the
 * only certificates this action ever revokes.
 */
async function settleCertificateRace(ctx, ours, plan) {
    const { client, desired, logger } = ctx;
    const type = ours.resource.attributes?.certificateType;
    const listed = candidateCertificates(await (0,certificates/* listCertificates */.H)(client, [type]), desired.keyFingerprint);
    const [oldest, ...others] = raceCandidates(listed, plan, ctx.now);
    if (!oldest)
        return ours;
    const duplicates = new Map(others.map((c) => [c.resource.id, c]));
    if (ours.resource.id !== oldest.resource.id)
        duplicates.set(ours.resource.id, ours);
    if (duplicates.size === 0)
        return ours;
    await Promise.all([...duplicates.keys()].map((id) => revokeDuplicate(client, id)));
    logger.info(`Certificate ${type}: other jobs created certificates for the same key at the same time; adopted the oldest, ${oldest.info.serialNumber}, and revoked the duplicates ${[...duplicates.values()].map((c) => c.info.serialNumber).join(", ")}`);
    return oldest;
}
/** Revokes a race duplicate; 404: another job settling the same race revoked it first. */
async function revokeDuplicate(client, id, resent = false) {
    try {
        await client.delete(`/v1/certificates/${encodeURIComponent(id)}`);
    }
    catch (error) {
        if (error instanceof errors/* AscApiError */.oF && error.status === 404)
            return;
        if ((0,errors/* isUnknownOutcome */.$u)(error) && !resent)
            return revokeDuplicate(client, id, true);
        throw error;
    }
}

;// CONCATENATED MODULE: ./build/src/core/reconcile/device-plan.js
const sameUdid = (a, b) => (a ?? "").toLowerCase() === b.toLowerCase();
/** The device class decides: an Apple TV has platform IOS but only tvOS profiles take it. */
function isCompatibleDevice(device, rule) {
    return rule.deviceClasses.includes(device.attributes?.deviceClass ?? "");
}
function planDevices(config, rule, devices) {
    const plan = {
        register: [],
        enable: [],
        selected: [],
        selectedNew: [],
        disabledListed: [],
        problems: [],
    };
    for (const wanted of config.devices) {
        const existing = devices.find((d) => sameUdid(d.attributes?.udid, wanted.udid));
        if (!existing)
            plan.register.push(wanted);
        else if (existing.attributes?.status === "DISABLED") {
            if (config.reenableDevices)
                plan.enable.push(existing);
            else
                plan.disabledListed.push(existing);
        }
    }
    if (rule.deviceClasses.length === 0)
        return plan;
    const enabledAfter = (d) => d.attributes?.status === "ENABLED" || plan.enable.some((e) => e.id === d.id);
    const compatible = devices.filter((d) => enabledAfter(d) && isCompatibleDevice(d, rule));
    const newCompatible = plan.register.filter((r) => r.platform === rule.devicePlatform);
    if (config.deviceSelection.kind === "all") {
        plan.selected = compatible;
        plan.selectedNew = newCompatible;
    }
    else {
        for (const value of config.deviceSelection.values) {
            const match = (d) => sameUdid(d.udid, value) || (d.name ?? "").toLowerCase() === value.toLowerCase();
            const found = compatible.filter((d) => match(d.attributes ?? {}));
            const foundNew = newCompatible.filter((r) => match(r));
            if (found.length === 0 && foundNew.length === 0) {
                const any = devices.find((d) => match(d.attributes ?? {}));
                plan.problems.push({
                    input: "device-selection",
                    message: any
                        ? `"${value}" is ${any.attributes?.status === "DISABLED" ? "DISABLED (set reenable-devices and list it in devices, or enable it in the portal)" : `a ${any.attributes?.deviceClass ?? "device"} that ${rule.type} profiles cannot provision`}.`
                        : `"${value}" matches no registered device by UDID or name: register it with \`devices\` ("name, udid").`,
                });
            }
            for (const d of found)
                if (!plan.selected.includes(d))
                    plan.selected.push(d);
            for (const r of foundNew)
                if (!plan.selectedNew.includes(r))
                    plan.selectedNew.push(r);
        }
    }
    if (plan.selected.length === 0 && plan.selectedNew.length === 0 && plan.problems.length === 0) {
        plan.problems.push({
            input: config.deviceSelection.kind === "all" ? "devices" : "device-selection",
            message: `${rule.type} profiles need at least one ENABLED ${rule.deviceClasses.join("/")} device, and the team has none: register one with \`devices\` ("name, udid").`,
        });
    }
    return plan;
}

// EXTERNAL MODULE: ./node_modules/plist/dist/index.js + 4 modules
var dist = __webpack_require__(94548);
;// CONCATENATED MODULE: ./build/src/core/signing/certificate-chain.js
// Whether a certificate chains, through a pool of intermediates, to one of the trusted roots: names and
// key identifiers (checkIssued) and signatures (verify) with node:crypto; validity dates only when asked.

const MAX_DEPTH = 8;
function verifyChain(leafDer, intermediatesDer, trustedRootsDer, opts = {}) {
    const load = (der) => {
        try {
            return new external_node_crypto_.X509Certificate(der);
        }
        catch {
            return undefined;
        }
    };
    const roots = trustedRootsDer.map(load).filter((c) => c !== undefined);
    const pool = intermediatesDer.map(load).filter((c) => c !== undefined);
    const leaf = load(leafDer);
    if (!leaf)
        return { ok: false, reason: "the signer certificate cannot be read" };
    let current = leaf;
    const issues = (child, parent) => {
        try {
            return child.checkIssued(parent) && child.verify(parent.publicKey);
        }
        catch {
            return false;
        }
    };
    const expired = (cert) => {
        const now = opts.now;
        if (!now)
            return undefined;
        if (now < cert.validFromDate || now > cert.validToDate)
            return `certificate "${commonName(cert)}" is not valid on ${now.toISOString()} (valid ${cert.validFromDate.toISOString()} to ${cert.validToDate.toISOString()})`;
        return undefined;
    };
    const used = new Set();
    for (let depth = 0; depth < MAX_DEPTH; depth++) {
        const timeProblem = expired(current);
        if (timeProblem)
            return { ok: false, reason: timeProblem };
        const self = current;
        if (roots.some((root) => root.fingerprint256 === self.fingerprint256))
            return { ok: true };
        const root = roots.find((r) => issues(self, r));
        if (root) {
            const rootProblem = expired(root);
            return rootProblem ? { ok: false, reason: rootProblem } : { ok: true };
        }
        used.add(self.fingerprint256);
        const next = pool.find((c) => !used.has(c.fingerprint256) && issues(self, c));
        if (!next)
            return {
                ok: false,
                reason: `signed by an unknown CA: "${commonName(self)}" (issued by "${issuerCommonName(self)}") does not chain to a trusted root`,
            };
        current = next;
    }
    return { ok: false, reason: "the certificate chain is too long" };
}
function commonName(cert) {
    return /(?:^|\n)CN=([^\n]*)/.exec(cert.subject)?.[1] ?? cert.subject;
}
function issuerCommonName(cert) {
    return /(?:^|\n)CN=([^\n]*)/.exec(cert.issuer)?.[1] ?? cert.issuer;
}

// EXTERNAL MODULE: ./node_modules/@peculiar/asn1-cms/build/cjs/index.js
var cjs = __webpack_require__(21467);
// EXTERNAL MODULE: ./node_modules/@peculiar/asn1-schema/build/cjs/index.js
var build_cjs = __webpack_require__(47261);
// EXTERNAL MODULE: ./node_modules/@peculiar/asn1-x509/build/cjs/index.js
var asn1_x509_build_cjs = __webpack_require__(33594);
;// CONCATENATED MODULE: ./build/src/core/signing/ber.js
// The little BER that @peculiar/asn1-schema does not flatten for us: a constructed (chunked, possibly
// indefinite-length) OCTET STRING, as in Apple's streamed CMS files, and DER SET wrapping.
function readTlv(bytes, offset) {
    const tag = bytes[offset];
    const first = bytes[offset + 1];
    if (tag === undefined || first === undefined)
        throw new RangeError("BER: truncated header");
    if ((tag & 0x1f) === 0x1f)
        throw new RangeError("BER: high tag numbers are not expected here");
    const constructed = (tag & 0x20) !== 0;
    if (first < 0x80)
        return { tag, constructed, start: offset + 2, length: first };
    if (first === 0x80)
        return { tag, constructed, start: offset + 2, length: undefined };
    const count = first & 0x7f;
    if (count > 4)
        throw new RangeError("BER: length too large");
    let length = 0;
    for (let i = 0; i < count; i++) {
        const byte = bytes[offset + 2 + i];
        if (byte === undefined)
            throw new RangeError("BER: truncated length");
        length = length * 256 + byte;
    }
    return { tag, constructed, start: offset + 2 + count, length };
}
/** Appends the content of the OCTET STRING at `offset` to `out`; returns the offset just after it. */
function collectOctets(bytes, offset, out) {
    const tlv = readTlv(bytes, offset);
    if ((tlv.tag & 0x1f) !== 0x04)
        throw new RangeError("BER: expected an OCTET STRING");
    if (!tlv.constructed) {
        if (tlv.length === undefined)
            throw new RangeError("BER: primitive with indefinite length");
        const end = tlv.start + tlv.length;
        if (end > bytes.length)
            throw new RangeError("BER: truncated OCTET STRING");
        out.push(bytes.subarray(tlv.start, end));
        return end;
    }
    let position = tlv.start;
    const end = tlv.length === undefined ? undefined : tlv.start + tlv.length;
    for (;;) {
        if (end !== undefined && position >= end)
            return end;
        if (position + 1 >= bytes.length)
            throw new RangeError("BER: truncated constructed OCTET STRING");
        if (end === undefined && bytes[position] === 0 && bytes[position + 1] === 0)
            return position + 2;
        position = collectOctets(bytes, position, out);
    }
}
/** The content of a BER OCTET STRING (primitive, or constructed of chunks, definite or indefinite). */
function octetStringContent(encoded) {
    const chunks = [];
    collectOctets(encoded, 0, chunks);
    return Buffer.concat(chunks);
}
function derLength(length) {
    if (length < 0x80)
        return Uint8Array.of(length);
    const bytes = [];
    for (let rest = length; rest > 0; rest = Math.floor(rest / 256))
        bytes.unshift(rest % 256);
    return Uint8Array.of(0x80 | bytes.length, ...bytes);
}
/** DER `SET` (tag 0x31) holding the given encoded elements in the given order. */
function derSet(elements) {
    const content = Buffer.concat(elements);
    return Buffer.concat([Uint8Array.of(0x31), derLength(content.length), content]);
}

;// CONCATENATED MODULE: ./build/src/core/signing/cms-signed-data.js
// CMS SignedData (RFC 5652) as Apple signs provisioning profiles: parsed with @peculiar/asn1-cms, in DER
// or in the indefinite-length BER with a chunked eContent that Apple's newer files use; the signature
// checked with node:crypto over the signed attributes, the message digest against the content.






const DIGESTS = {
    "1.3.14.3.2.26": "sha1",
    "2.16.840.1.101.3.4.2.1": "sha256",
    "2.16.840.1.101.3.4.2.2": "sha384",
    "2.16.840.1.101.3.4.2.3": "sha512",
};
/** Signature algorithms that name their own digest; rsaEncryption uses the signer's digest algorithm. */
const SIGNATURE_DIGESTS = {
    "1.2.840.113549.1.1.5": "sha1",
    "1.2.840.113549.1.1.11": "sha256",
    "1.2.840.113549.1.1.12": "sha384",
    "1.2.840.113549.1.1.13": "sha512",
    "1.2.840.10045.4.1": "sha1",
    "1.2.840.10045.4.3.2": "sha256",
    "1.2.840.10045.4.3.3": "sha384",
    "1.2.840.10045.4.3.4": "sha512",
};
const RSA_ENCRYPTION = "1.2.840.113549.1.1.1";
const EC_PUBLIC_KEY = "1.2.840.10045.2.1";
const ATTRIBUTE = { contentType: "1.2.840.113549.1.9.3", messageDigest: "1.2.840.113549.1.9.4" };
const SUBJECT_KEY_IDENTIFIER = "2.5.29.14";
/** Parses a CMS SignedData; SigningError `${what} is not a CMS SignedData: truncated?` when it is not one. */
function cms_signed_data_parseSignedData(bytes, what) {
    const notCms = () => {
        throw new errors/* SigningError */.uJ(`${what} is not a CMS SignedData: truncated?`);
    };
    let signedData;
    try {
        const info = build_cjs.AsnParser.parse(bytes, cjs.ContentInfo);
        if (info.contentType !== cjs.id_signedData)
            return notCms();
        signedData = build_cjs.AsnParser.parse(info.content, cjs.SignedData);
    }
    catch {
        return notCms();
    }
    const encapsulated = signedData.encapContentInfo.eContent;
    let content;
    try {
        if (encapsulated?.single)
            content = new Uint8Array(encapsulated.single.buffer);
        else if (encapsulated?.any)
            content = octetStringContent(new Uint8Array(encapsulated.any));
    }
    catch {
        return notCms();
    }
    if (!content)
        throw new errors/* SigningError */.uJ(`${what} is a CMS SignedData without its content (detached).`);
    const certificates = (signedData.certificates ?? [])
        .map((choice) => choice.certificate)
        .filter((c) => c !== undefined)
        .map((c) => new Uint8Array(build_cjs.AsnSerializer.serialize(c)));
    return { content, certificates, signers: [...signedData.signerInfos] };
}
/** The certificate (DER) among `certificates` that the signer identifies. */
function signerCertificate(signer, certificates) {
    const byIssuer = signer.sid.issuerAndSerialNumber;
    const keyId = signer.sid.subjectKeyIdentifier;
    return certificates.find((der) => {
        const cert = build_cjs.AsnParser.parse(der, asn1_x509_build_cjs.Certificate);
        const tbs = cert.tbsCertificate;
        if (byIssuer)
            return (equalBytes(tbs.serialNumber, byIssuer.serialNumber) &&
                equalBytes(build_cjs.AsnSerializer.serialize(tbs.issuer), build_cjs.AsnSerializer.serialize(byIssuer.issuer)));
        if (keyId) {
            const extension = tbs.extensions?.find((e) => e.extnID === SUBJECT_KEY_IDENTIFIER);
            if (!extension)
                return false;
            const id = build_cjs.AsnParser.parse(extension.extnValue.buffer, build_cjs.OctetString);
            return equalBytes(id.buffer, keyId.buffer);
        }
        return false;
    });
}
/**
 * Checks the signer's signature over the content with the signer certificate's public key: the message
 * digest attribute against the content, then the signature over the DER of the signed attributes (or
 * over the content itself when there are none). SigningError when anything does not match.
 */
function verifySignerSignature(signer, certificateDer, content, what) {
    const digest = DIGESTS[signer.digestAlgorithm.algorithm];
    if (!digest)
        throw new errors/* SigningError */.uJ(`${what} uses digest algorithm ${signer.digestAlgorithm.algorithm}, which is not supported.`);
    const signatureAlgorithm = signer.signatureAlgorithm.algorithm;
    const hash = SIGNATURE_DIGESTS[signatureAlgorithm] ?? digest;
    if (!(signatureAlgorithm in SIGNATURE_DIGESTS) &&
        signatureAlgorithm !== RSA_ENCRYPTION &&
        signatureAlgorithm !== EC_PUBLIC_KEY)
        throw new errors/* SigningError */.uJ(`${what} uses signature algorithm ${signatureAlgorithm}, which is not supported.`);
    let signed = content;
    const attributes = signer.signedAttrs;
    if (attributes && attributes.length > 0) {
        const messageDigest = attributes.find((a) => a.attrType === ATTRIBUTE.messageDigest)?.attrValues[0];
        const contentType = attributes.find((a) => a.attrType === ATTRIBUTE.contentType);
        if (!messageDigest || !contentType)
            throw new errors/* SigningError */.uJ(`${what} has signed attributes without a message digest or content type.`);
        const expected = new Uint8Array(build_cjs.AsnParser.parse(messageDigest, build_cjs.OctetString).buffer);
        if (!equalBytes((0,external_node_crypto_.createHash)(digest).update(content).digest(), expected))
            throw new errors/* SigningError */.uJ(`${what}: the content does not match its signed digest (altered after signing?).`);
        signed = derSet(attributes.map((a) => new Uint8Array(build_cjs.AsnSerializer.serialize(a))));
    }
    const publicKey = new external_node_crypto_.X509Certificate(certificateDer).publicKey;
    const ok = (0,external_node_crypto_.verify)(hash, signed, publicKey, new Uint8Array(signer.signature.buffer));
    if (!ok)
        throw new errors/* SigningError */.uJ(`${what}: the CMS signature does not verify (altered after signing?).`);
}
function equalBytes(a, b) {
    return Buffer.from(a instanceof Uint8Array ? a : new Uint8Array(a)).equals(Buffer.from(b instanceof Uint8Array ? b : new Uint8Array(b)));
}

;// CONCATENATED MODULE: ./build/src/core/signing/provisioning-profile.js
// A .mobileprovision / .provisionprofile: a CMS SignedData (DER, or Apple's indefinite-length BER)
// around a property list. What the action decides on is read from here, not from capped API includes.





/**
 * Parses a profile given as bytes or base64 (as in `profileContent`). `label` (the profile's name) goes
 * into messages. With `trustedRootsDer`, the signature and chain are verified too (dates only with
 * `now`). SigningError for truncated or garbage input, a content that is not a profile plist, or a
 * signature that does not verify.
 */
function readProvisioningProfile(content, opts = {}) {
    const what = describe(opts.label);
    const signed = cms_signed_data_parseSignedData(profileBytes(content, what), what);
    if (opts.trustedRootsDer)
        verifySigned(signed, opts.trustedRootsDer, opts.now, what);
    const plist = readPlist(signed.content, what);
    const text = (key) => (typeof plist[key] === "string" ? plist[key] : undefined);
    const strings = (key) => Array.isArray(plist[key])
        ? plist[key].filter((v) => typeof v === "string")
        : [];
    const date = (key) => {
        const value = plist[key];
        if (value instanceof Date && !Number.isNaN(value.getTime()))
            return value;
        throw new errors/* SigningError */.uJ(`${what} has no valid ${key}: not a provisioning profile?`);
    };
    const uuid = text("UUID");
    if (!uuid)
        throw new errors/* SigningError */.uJ(`${what} has no UUID: not a provisioning profile?`);
    const entitlements = isDict(plist.Entitlements) ? plist.Entitlements : {};
    const prefixes = strings("ApplicationIdentifierPrefix");
    const teamId = strings("TeamIdentifier")[0] ?? prefixes[0] ?? "";
    const applicationIdentifier = [
        entitlements["application-identifier"],
        entitlements["com.apple.application-identifier"],
    ].find((v) => typeof v === "string");
    const signerDer = signed.signers[0] && signerCertificate(signed.signers[0], signed.certificates);
    return {
        uuid,
        name: text("Name") ?? "",
        teamId,
        teamName: text("TeamName"),
        appIdName: text("AppIDName"),
        applicationIdentifierPrefix: prefixes,
        applicationIdentifier,
        bundleIdentifier: applicationIdentifier && stripPrefix(applicationIdentifier, [teamId, ...prefixes]),
        platforms: strings("Platform"),
        creationDate: date("CreationDate"),
        expirationDate: date("ExpirationDate"),
        timeToLive: typeof plist.TimeToLive === "number" ? plist.TimeToLive : undefined,
        developerCertificates: developerCertificates(plist.DeveloperCertificates, what),
        provisionedDevices: strings("ProvisionedDevices"),
        provisionsAllDevices: plist.ProvisionsAllDevices === true,
        entitlements,
        isXcodeManaged: plist.IsXcodeManaged === true,
        signerCommonName: signerDer ? safeCommonName(signerDer) : undefined,
    };
}
/**
 * Verifies the CMS signature over the content and that the signer chains, through the certificates the
 * CMS carries, to one of the trusted roots (Apple Root CA). Without `now` there is no time check (Apple's
 * signing certificates in old profiles have expired). SigningError when it does not verify.
 */
async function verifyProvisioningProfileSignature(content, trustedRootsDer, opts = {}) {
    const what = describe(opts.label);
    verifySigned(parseSignedData(profileBytes(content, what), what), trustedRootsDer, opts.now, what);
}
function verifySigned(signed, roots, now, what) {
    const signer = signed.signers[0];
    if (!signer)
        throw new errors/* SigningError */.uJ(`${what} is not signed (no signer in the CMS).`);
    const certificate = signerCertificate(signer, signed.certificates);
    if (!certificate)
        throw new errors/* SigningError */.uJ(`${what}: the signer's certificate is not in the CMS.`);
    verifySignerSignature(signer, certificate, signed.content, what);
    const chain = verifyChain(certificate, signed.certificates, roots, now ? { now } : {});
    if (!chain.ok)
        throw new errors/* SigningError */.uJ(`${what} is ${chain.reason}.`.replace(" is signed by", " was signed by"));
}
function describe(label) {
    return label === undefined ? "profileContent" : `profileContent of profile "${label}"`;
}
function profileBytes(content, what) {
    if (typeof content !== "string")
        return content;
    const compact = content.replace(/\s+/g, "");
    if (compact === "")
        throw new errors/* SigningError */.uJ(`${what} is empty.`);
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact))
        throw new errors/* SigningError */.uJ(`${what} is not base64 (expected the base64 of a .mobileprovision).`);
    return Buffer.from(compact, "base64");
}
function readPlist(content, what) {
    const bytes = Buffer.from(content);
    const notPlist = () => {
        throw new errors/* SigningError */.uJ(`${what}: the signed content is not a property list dictionary.`);
    };
    let value;
    try {
        if (bytes.subarray(0, 8).toString("latin1") === "bplist00")
            value = (0,dist/* parseBinary */.fb)(bytes);
        else {
            const text = bytes
                .toString("utf8")
                .replace(/^\uFEFF/, "")
                .trim();
            // Checked first: the XML parser reports malformed input on the console before throwing.
            if (!/^<(\?xml|!DOCTYPE plist|plist)[\s>]/.test(text) || !text.endsWith("</plist>"))
                return notPlist();
            value = (0,dist/* parse */.qg)(text);
        }
    }
    catch {
        return notPlist();
    }
    return isDict(value) ? value : notPlist();
}
function developerCertificates(value, what) {
    if (!Array.isArray(value))
        return [];
    return value.map((entry, index) => {
        if (!(entry instanceof Uint8Array))
            throw new errors/* SigningError */.uJ(`${what}: DeveloperCertificates[${index}] is not certificate data.`);
        try {
            return (0,certificate/* parseCertificate */.hB)(entry);
        }
        catch {
            throw new errors/* SigningError */.uJ(`${what}: DeveloperCertificates[${index}] is not an X.509 certificate.`);
        }
    });
}
function stripPrefix(applicationIdentifier, prefixes) {
    for (const prefix of prefixes)
        if (prefix && applicationIdentifier.startsWith(`${prefix}.`))
            return applicationIdentifier.slice(prefix.length + 1);
    const dot = applicationIdentifier.indexOf(".");
    return dot > 0 && /^[A-Z0-9]{10}$/.test(applicationIdentifier.slice(0, dot))
        ? applicationIdentifier.slice(dot + 1)
        : applicationIdentifier;
}
function safeCommonName(der) {
    try {
        return (0,certificate/* parseCertificate */.hB)(der).commonName || undefined;
    }
    catch {
        return undefined;
    }
}
function isDict(value) {
    return (typeof value === "object" &&
        value !== null &&
        !Array.isArray(value) &&
        !(value instanceof Uint8Array) &&
        !(value instanceof Date));
}

;// CONCATENATED MODULE: ./build/src/core/reconcile/profile-content.js
// Reads a profile's `profileContent` for the engine: the signed plist, its signature checked against the
// trusted roots when the engine was given any.

function readProfileContent(content, trustedRoots, label) {
    return readProvisioningProfile(content ?? "", {
        ...(trustedRoots ? { trustedRootsDer: trustedRoots } : {}),
        ...(label ? { label } : {}),
    });
}

;// CONCATENATED MODULE: ./build/src/core/reconcile/capability-entitlements.js
const CAPABILITY_ENTITLEMENT_KEYS = {
    PUSH_NOTIFICATIONS: ["aps-environment", "com.apple.developer.aps-environment"],
    ICLOUD: ["com.apple.developer.icloud-services", "com.apple.developer.icloud-container-identifiers"],
    APP_GROUPS: ["com.apple.security.application-groups"],
    ASSOCIATED_DOMAINS: ["com.apple.developer.associated-domains"],
    HEALTHKIT: ["com.apple.developer.healthkit"],
    HOMEKIT: ["com.apple.developer.homekit"],
    APPLE_PAY: ["com.apple.developer.in-app-payments"],
    SIRIKIT: ["com.apple.developer.siri"],
    APPLE_ID_AUTH: ["com.apple.developer.applesignin"],
    PERSONAL_VPN: ["com.apple.developer.networking.vpn.api"],
    NETWORK_EXTENSIONS: ["com.apple.developer.networking.networkextension"],
    DATA_PROTECTION: ["com.apple.developer.default-data-protection"],
};
/** Why the entitlements disagree with the enabled capabilities, or undefined when they agree. */
function entitlementMismatch(entitlements, enabledCapabilities) {
    const enabled = new Set(enabledCapabilities);
    for (const [capability, keys] of Object.entries(CAPABILITY_ENTITLEMENT_KEYS)) {
        const present = keys.some((key) => key in entitlements);
        if (enabled.has(capability) && !present)
            return `entitlements lack ${capability} (${keys[0]})`;
        if (!enabled.has(capability) && present)
            return `entitlements carry ${capability} (${keys[0]}), which the bundle ID no longer has`;
    }
    return undefined;
}

;// CONCATENATED MODULE: ./build/src/core/reconcile/profile-validity.js

const profile_validity_DAY = 86_400_000;
function evaluateProfile(found, info, expect) {
    const attributes = found.resource.attributes ?? {};
    const stale = (reason) => ({ reusable: false, reason });
    if (attributes.profileState !== "ACTIVE")
        return stale(`state is ${attributes.profileState ?? "unknown"}`);
    if (attributes.profileType !== expect.profileType)
        return stale(`type is ${attributes.profileType}, want ${expect.profileType}`);
    if (expect.bundleIdId === undefined)
        return stale("its bundle ID is being created");
    if (found.bundleIdId !== undefined && found.bundleIdId !== expect.bundleIdId)
        return stale("it belongs to another bundle ID");
    if (!info)
        return stale("its content could not be read");
    if (info.bundleIdentifier !== undefined && info.bundleIdentifier !== expect.bundleIdentifier)
        return stale(`it is for ${info.bundleIdentifier}`);
    const expiry = info.expirationDate.getTime();
    if (expiry <= expect.now)
        return stale(`expired ${info.expirationDate.toISOString().slice(0, 10)}`);
    const daysLeft = Math.floor((expiry - expect.now) / profile_validity_DAY);
    if (daysLeft < expect.minDaysValid)
        return stale(`expires in ${daysLeft} days, less than min-days-valid (${expect.minDaysValid})`);
    if (expect.certificateSha1 === undefined)
        return stale("a new certificate is being created");
    if (!info.developerCertificates.some((c) => c.sha1 === expect.certificateSha1))
        return stale(`does not contain certificate ${expect.certificateSha1.slice(0, 12)}…`);
    const have = new Set(info.provisionedDevices.map((u) => u.toLowerCase()));
    const missing = expect.deviceUdids.filter((u) => !have.has(u.toLowerCase()));
    if (missing.length > 0)
        return stale(`missing device ${missing[0]}${missing.length > 1 ? ` (+${missing.length - 1} more)` : ""}`);
    if (expect.capabilities === undefined)
        return stale("the bundle ID's capabilities change");
    const mismatch = entitlementMismatch(info.entitlements, expect.capabilities);
    if (mismatch)
        return stale(mismatch);
    return { reusable: true };
}

;// CONCATENATED MODULE: ./build/src/core/reconcile/apply.js
// Carries out a plan in dependency order, each wave as concurrent as dependencies allow:
//   1. bundle IDs, certificate, devices, capabilities of existing bundle IDs, deletion of stale profiles
//   2. capabilities of the bundle IDs created in wave 1
//   3. profiles
// A new certificate's race settling (guard wait, re-read, revoking same-key duplicates) runs alongside
// waves 2 and 3; a profile made with a certificate that loses is replaced afterwards (rare: jobs racing).
// A write whose outcome is unknown, or that lost a race to another job, is settled by re-reading.









/** Runs tasks together; waits for all before failing with the first error, so nothing is left in flight. */
async function wave(tasks) {
    const results = await Promise.allSettled(tasks.map((t) => t()));
    const failed = results.find((r) => r.status === "rejected");
    if (failed)
        throw failed.reason;
}
async function applyPlan(plan, ctx) {
    const { logger } = ctx;
    const bundleIds = new Map();
    for (const b of plan.bundles)
        if (b.existing)
            bundleIds.set(b.request.identifier, b.existing.resource);
    let certificate = plan.certificate.kind === "adopt" ? plan.certificate.candidate : undefined;
    const registered = [];
    await wave([
        ...plan.bundles
            .filter((b) => !b.existing)
            .map((b) => async () => {
            bundleIds.set(b.request.identifier, await ensureBundleId(ctx, b));
        }),
        ...(plan.certificate.kind === "create"
            ? [
                async () => {
                    certificate = await createOurCertificate(ctx, plan);
                },
            ]
            : []),
        ...(plan.devices?.register ?? []).map((d) => async () => {
            registered.push(await ensureDevice(ctx, d));
        }),
        ...(plan.devices?.enable ?? []).map((d) => async () => {
            await (0,devices/* setDeviceStatus */.xV)(ctx.client, d.id, "ENABLED");
            logger.info(`Device ${d.attributes?.udid}: re-enabled`);
        }),
        ...plan.bundles
            .filter((b) => b.existing)
            .map((b) => () => applyCapabilities(ctx, b, b.existing.resource.id)),
        ...plan.bundles.flatMap((b) => b.profile.kind === "create"
            ? b.profile.deleteIds.map((id) => async () => {
                const deleted = await (0,asc_profiles/* deleteProfile */.lp)(ctx.client, id);
                logger.info(`Profile "${b.profileName}" (${id}): ${deleted ? "deleted" : "already gone"} (${reasonOf(b)})`);
            })
            : []),
    ]);
    // A new certificate is settled against racing jobs (the guard's wait, then a read) while the
    // capabilities of new bundle IDs and the profiles go out with it, optimistically: a profile is kept
    // only if the certificate it was made with is the one the settling adopts. Nothing is deleted before
    // the settling (a job still holding a certificate that may lose never removes another job's profile).
    const created = plan.certificate.kind === "create" ? certificate : undefined;
    const settling = created
        ? (async () => {
            await certificateRaceGuard(ctx, created);
            return settleCertificateRace(ctx, created, plan);
        })()
        : undefined;
    settling?.catch(() => { });
    const rule = ctx.desired.rule;
    const deviceIds = [
        ...(plan.devices?.selected ?? []).map((d) => d.id),
        ...registered
            .filter((d) => plan.devices?.selectedNew.some((n) => n.udid.toLowerCase() === d.attributes?.udid?.toLowerCase()))
            .filter((d) => isCompatibleDevice(d, rule))
            .map((d) => d.id),
    ];
    const deviceUdids = [
        ...(plan.devices?.selected ?? []).map((d) => d.attributes?.udid ?? ""),
        ...registered.filter((d) => deviceIds.includes(d.id)).map((d) => d.attributes?.udid ?? ""),
    ];
    const targetFor = (b, cert) => ({
        bundleIdId: bundleIds.get(b.request.identifier).id,
        certificate: cert,
        deviceIds,
        deviceUdids,
    });
    const record = (b, made) => profiles.set(b.request.identifier, {
        ...made,
        outcome: b.profile.kind === "create" && b.profile.repair ? "repaired" : "created",
        reason: reasonOf(b),
    });
    const profiles = new Map();
    /** Profiles made with `created` before the settling; a conflict leaves the bundle to the second pass. */
    const optimistic = new Map();
    const first = (async () => {
        await wave(plan.bundles
            .filter((b) => !b.existing)
            .map((b) => () => applyCapabilities(ctx, b, bundleIds.get(b.request.identifier).id)));
        await wave(plan.bundles.map((b) => async () => {
            if (b.profile.kind === "reuse") {
                profiles.set(b.request.identifier, {
                    resource: b.profile.found.resource,
                    info: b.profile.info,
                    outcome: "reused",
                    reason: "valid",
                });
                return;
            }
            if (!created) {
                record(b, await ensureProfile(ctx, b, targetFor(b, certificate)));
                return;
            }
            try {
                optimistic.set(b.request.identifier, await createProfileOnce(ctx, b, targetFor(b, created)));
            }
            catch (error) {
                if (!(0,errors/* isConflict */.dh)(error) && !(0,errors/* isUnknownOutcome */.$u)(error))
                    throw error;
            }
        }));
    })();
    const [firstOutcome, settled] = await Promise.allSettled([first, settling]);
    if (firstOutcome.status === "rejected")
        throw firstOutcome.reason;
    if (settled.status === "rejected")
        throw settled.reason;
    const cert = settled.value ?? certificate;
    if (created) {
        // Second pass, only for a profile whose create conflicted or whose certificate lost the race: re-read
        // by name, adopt one valid for the adopted certificate, else replace what blocks the name.
        await wave(plan.bundles
            .filter((b) => b.profile.kind === "create")
            .map((b) => async () => {
            const made = optimistic.get(b.request.identifier);
            if (made && cert.resource.id === created.resource.id) {
                record(b, made);
                return;
            }
            // Re-read first: what holds the name may be ours, made with the losing certificate.
            const settled = await adoptOrClear(ctx, b, targetFor(b, cert));
            record(b, settled.adopted ?? (await ensureProfile(ctx, b, targetFor(b, cert))));
        }));
    }
    return { bundleIds, certificate: cert, profiles };
}
async function ensureBundleId(ctx, b, resent = false) {
    const { client, desired, logger } = ctx;
    try {
        const created = await (0,bundle_ids/* createBundleId */.gt)(client, {
            identifier: b.request.identifier,
            name: b.request.name,
            platform: desired.config.platform,
        });
        logger.info(`Bundle ID ${b.request.identifier}: created (${created.id})`);
        return created;
    }
    catch (error) {
        if (!(0,errors/* isConflict */.dh)(error) && !(0,errors/* isUnknownOutcome */.$u)(error))
            throw error;
        // Another job created it, or our create went through before the answer was lost: adopt it.
        const found = (await (0,bundle_ids/* findBundleIds */.mi)(client, [b.request.identifier])).get(b.request.identifier);
        // The re-read shows an unknown-outcome create did not take effect: send it once more.
        if (!found && (0,errors/* isUnknownOutcome */.$u)(error) && !resent)
            return ensureBundleId(ctx, b, true);
        if (!found)
            throw error;
        logger.info(`Bundle ID ${b.request.identifier}: adopted ${found.resource.id} created concurrently`);
        return found.resource;
    }
}
async function applyCapabilities(ctx, b, bundleIdId) {
    const { client, logger } = ctx;
    await Promise.all(b.capabilityChanges.map(async (change) => {
        const send = async () => {
            if (change.kind === "enable")
                await enableCapability(client, bundleIdId, change.type, change.settings);
            else if (change.kind === "update")
                await updateCapability(client, change.capabilityId, change.type, change.settings);
            else
                await disableCapability(client, change.capabilityId);
        };
        // Enabled concurrently by another job (or by our own first attempt), or already disabled: done.
        const done = (error) => (change.kind === "enable" && (0,errors/* isConflict */.dh)(error) && /already|exist/i.test(error.detail)) ||
            (change.kind === "disable" && error instanceof errors/* AscApiError */.oF && error.status === 404);
        try {
            await send();
        }
        catch (error) {
            if (!done(error)) {
                if (!(0,errors/* isUnknownOutcome */.$u)(error))
                    throw error;
                // Whether it was applied is unknown: sending the same change again settles it (each is idempotent).
                try {
                    await send();
                }
                catch (again) {
                    if (!done(again))
                        throw again;
                }
            }
        }
        logger.info(`Capability ${change.type} on ${b.request.identifier}: ${change.kind}d (${change.reason})`);
    }));
}
async function ensureDevice(ctx, d, resent = false) {
    try {
        const device = await (0,devices/* registerDevice */.MC)(ctx.client, d);
        ctx.logger.info(`Device ${d.udid} ("${d.name}"): registered`);
        return device;
    }
    catch (error) {
        if (!(0,errors/* isConflict */.dh)(error) && !(0,errors/* isUnknownOutcome */.$u)(error))
            throw error;
        const found = (await (0,devices/* listDevices */._0)(ctx.client, { udids: [d.udid] })).find((x) => x.attributes?.udid?.toLowerCase() === d.udid.toLowerCase());
        if (!found && (0,errors/* isUnknownOutcome */.$u)(error) && !resent)
            return ensureDevice(ctx, d, true);
        if (!found)
            throw error;
        ctx.logger.info(`Device ${d.udid}: registered concurrently, adopted ${found.id}`);
        return found;
    }
}
/** One create of the bundle's profile, read back; errors as they come. */
async function createProfileOnce(ctx, b, target) {
    const { client, desired, logger } = ctx;
    const resource = await (0,asc_profiles/* createProfile */.SH)(client, {
        name: b.profileName,
        profileType: desired.config.profileType,
        bundleIdId: target.bundleIdId,
        certificateIds: [target.certificate.resource.id],
        deviceIds: desired.needsDevices ? target.deviceIds : [],
    });
    const info = readProfileContent(resource.attributes?.profileContent, ctx.trustedProfileRoots, b.profileName);
    logger.info(`Profile "${b.profileName}": ${b.profile.kind === "create" && b.profile.repair ? "repaired" : "created"} ${info.uuid} (${reasonOf(b)})`);
    return { resource, info };
}
/**
 * The bundle's profile for `target`: created; on a conflict or an unknown outcome (a race lost, our create
 * gone through unseen, a profile we could not see blocking the name) settled by `adoptOrClear`, then
 * created again if nothing could be adopted.
 */
async function ensureProfile(ctx, b, target) {
    try {
        return await createProfileOnce(ctx, b, target);
    }
    catch (error) {
        if (!(0,errors/* isConflict */.dh)(error) && !(0,errors/* isUnknownOutcome */.$u)(error))
            throw error;
        const settled = await adoptOrClear(ctx, b, target);
        if (settled.adopted)
            return settled.adopted;
        if (settled.deleted === 0 && (0,errors/* isConflict */.dh)(error))
            throw error;
        return await createProfileOnce(ctx, b, target);
    }
}
/**
 * Re-reads the profiles of the bundle's name: adopts one valid for `target`, otherwise deletes those that
 * hold the name (made with another certificate, stale, or invalid).
 */
async function adoptOrClear(ctx, b, target) {
    const { client, desired, logger } = ctx;
    const found = await (0,asc_profiles/* findProfilesByName */.MO)(client, [b.profileName]);
    const stale = [];
    for (const f of found) {
        let info;
        try {
            info = readProfileContent(f.resource.attributes?.profileContent, ctx.trustedProfileRoots);
        }
        catch {
            info = undefined;
        }
        const verdict = evaluateProfile(f, info, {
            profileType: desired.config.profileType,
            bundleIdId: target.bundleIdId,
            bundleIdentifier: b.request.identifier,
            certificateSha1: target.certificate.info.sha1,
            deviceUdids: desired.needsDevices ? target.deviceUdids : [],
            minDaysValid: desired.config.minDaysValid,
            now: ctx.now,
            capabilities: b.capabilitiesAfter,
        });
        if (verdict.reusable && info) {
            logger.info(`Profile "${b.profileName}": adopted ${info.uuid}, created concurrently`);
            return { adopted: { resource: f.resource, info }, deleted: 0 };
        }
        stale.push(f.resource.id);
    }
    await Promise.all(stale.map((id) => (0,asc_profiles/* deleteProfile */.lp)(client, id)));
    if (stale.length > 0)
        logger.info(`Profile "${b.profileName}": removed ${stale.length} stale profile(s) blocking the name`);
    return { deleted: stale.length };
}
/** Why a bundle's profile is (re)created or reused, for the log. */
function reasonOf(b) {
    return b.profile.kind === "create" ? b.profile.reason : "valid";
}

;// CONCATENATED MODULE: ./build/src/core/reconcile/capability-diff.js
// Capabilities to enable, update or disable on one bundle ID.

/** Capabilities Apple enables on every bundle ID by itself; never disabled by `capabilities-exclusive`. */
const IMPLICIT = ["IN_APP_PURCHASE", "GAME_CENTER"];
function diffCapabilities(current, wanted, exclusive) {
    const changes = [];
    const byType = new Map(current.map((c) => [c.attributes?.capabilityType ?? "", c]));
    for (const want of wanted) {
        const existing = byType.get(want.type);
        if (!existing) {
            changes.push({ kind: "enable", type: want.type, settings: want.settings, reason: "not enabled" });
            continue;
        }
        const have = fromAppleSettings(existing.attributes?.settings);
        const differing = Object.entries(want.settings).filter(([key, option]) => have[key] !== option);
        if (differing.length > 0) {
            changes.push({
                kind: "update",
                type: want.type,
                capabilityId: existing.id,
                settings: want.settings,
                reason: differing
                    .map(([key, option]) => `${key} is ${have[key] ?? "unset"}, want ${option}`)
                    .join("; "),
            });
        }
    }
    if (exclusive) {
        const wantedTypes = new Set(wanted.map((w) => w.type));
        for (const [type, existing] of byType) {
            if (!type || wantedTypes.has(type) || IMPLICIT.includes(type))
                continue;
            changes.push({
                kind: "disable",
                type: type,
                capabilityId: existing.id,
                reason: "not listed and capabilities-exclusive is true",
            });
        }
    }
    return changes;
}

;// CONCATENATED MODULE: ./build/src/core/reconcile/plan.js






function makePlan(desired, current, options) {
    const { config, rule } = desired;
    const candidates = candidateCertificates(current.certificates, desired.keyFingerprint);
    const certificate = decideCertificate(candidates, {
        now: options.now,
        renewDays: config.certificateRenewDays,
        types: desired.certificateTypes,
        createType: desired.createCertificateType,
    });
    const devices = current.devices ? planDevices(config, rule, current.devices) : undefined;
    if (devices && devices.problems.length > 0)
        throw new errors/* InputError */.dz(devices.problems);
    const certificateSha1 = certificate.kind === "adopt" ? certificate.candidate.info.sha1 : undefined;
    const deviceUdids = devices
        ? [...devices.selected.map((d) => d.attributes?.udid ?? ""), ...devices.selectedNew.map((d) => d.udid)]
        : [];
    const bundles = config.bundleIds.map((request) => {
        const existing = current.bundleIds.get(request.identifier);
        const wanted = config.capabilities.filter((c) => c.bundleId === request.identifier);
        const capabilityChanges = diffCapabilities(existing?.capabilities ?? [], wanted, config.capabilitiesExclusive);
        const before = (existing?.capabilities ?? []).map((c) => c.attributes?.capabilityType ?? "");
        const capabilitiesAfter = [
            ...before.filter((t) => !capabilityChanges.some((c) => c.kind === "disable" && c.type === t)),
            ...capabilityChanges.filter((c) => c.kind === "enable").map((c) => c.type),
        ];
        const profileName = desired.profileNames.get(request.identifier);
        const mine = current.profiles.filter((p) => p.resource.attributes?.name === profileName);
        const verdicts = mine.map((found) => {
            let info;
            let unreadable;
            try {
                const content = found.resource.attributes?.profileContent;
                info = content ? readProfileContent(content, options.trustedProfileRoots) : undefined;
            }
            catch (error) {
                unreadable = error instanceof Error ? error.message : String(error);
            }
            const evaluated = evaluateProfile(found, info, {
                profileType: config.profileType,
                bundleIdId: existing?.resource.id,
                bundleIdentifier: request.identifier,
                certificateSha1,
                deviceUdids,
                minDaysValid: config.minDaysValid,
                now: options.now,
                capabilities: capabilityChanges.length > 0 ? undefined : capabilitiesAfter,
            });
            const verdict = !evaluated.reusable && unreadable && !info
                ? { reusable: false, reason: unreadable }
                : evaluated;
            return { found, info, verdict };
        });
        const reusable = verdicts
            .filter((v) => v.verdict.reusable && v.info)
            .sort((a, b) => b.info.expirationDate.getTime() - a.info.expirationDate.getTime())[0];
        let profile;
        if (reusable)
            profile = { kind: "reuse", found: reusable.found, info: reusable.info };
        else {
            const first = verdicts[0];
            profile = {
                kind: "create",
                repair: first !== undefined,
                reason: first && !first.verdict.reusable ? first.verdict.reason : "no profile with this name",
                deleteIds: verdicts.map((v) => v.found.resource.id),
            };
        }
        return { request, profileName, existing, capabilityChanges, capabilitiesAfter, profile };
    });
    return { certificate, candidates, devices, bundles, steps: planSteps(certificate, devices, bundles) };
}
function planSteps(certificate, devices, bundles) {
    const steps = [];
    for (const b of bundles) {
        if (!b.existing)
            steps.push({ kind: "create-bundle-id", target: b.request.identifier, reason: "not found" });
    }
    if (certificate.kind === "create")
        steps.push({
            kind: "create-certificate",
            target: certificate.certificateType,
            reason: certificate.reason,
        });
    for (const d of devices?.register ?? [])
        steps.push({
            kind: "register-device",
            target: d.udid,
            reason: `"${d.name}" is listed in devices and not registered`,
        });
    for (const d of devices?.enable ?? [])
        steps.push({
            kind: "enable-device",
            target: d.attributes?.udid ?? d.id,
            reason: "listed, DISABLED, reenable-devices is true",
        });
    for (const b of bundles) {
        for (const c of b.capabilityChanges)
            steps.push({
                kind: `${c.kind}-capability`,
                target: `${b.request.identifier} ${c.type}`,
                reason: c.reason,
            });
    }
    for (const b of bundles) {
        if (b.profile.kind !== "create")
            continue;
        for (const _ of b.profile.deleteIds)
            steps.push({ kind: "delete-profile", target: b.profileName, reason: b.profile.reason });
        steps.push({ kind: "create-profile", target: b.profileName, reason: b.profile.reason });
    }
    return steps;
}
function formatPlan(steps) {
    if (steps.length === 0)
        return "No changes: everything is in place.";
    return steps.map((s, i) => `${i + 1}. ${s.kind} ${s.target}: ${s.reason}`).join("\n");
}

;// CONCATENATED MODULE: ./build/src/core/reconcile/engine.js
// The planning and applying half of the engine, loaded apart from the start-up path: provision() starts
// loading it (with the certificate, CMS and plist libraries it needs) while the first wave of reads is in
// flight, so their load time hides behind the network.




/***/ })

};
