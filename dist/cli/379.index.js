export const id = 379;
export const ids = [379];
export const modules = {

/***/ 6379:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  applyPlan: () => (/* reexport */ applyPlan),
  formatPlan: () => (/* reexport */ plan/* formatPlan */.n),
  makePlan: () => (/* reexport */ plan/* makePlan */.C)
});

// EXTERNAL MODULE: ./build/src/core/asc/bundle-ids.js
var bundle_ids = __webpack_require__(2652);
// EXTERNAL MODULE: ./build/src/core/asc/capabilities.js
var capabilities = __webpack_require__(2629);
// EXTERNAL MODULE: ./build/src/core/asc/devices.js
var devices = __webpack_require__(6996);
// EXTERNAL MODULE: ./build/src/core/asc/profiles.js
var asc_profiles = __webpack_require__(377);
// EXTERNAL MODULE: ./build/src/core/errors.js
var errors = __webpack_require__(3026);
// EXTERNAL MODULE: ./build/src/core/asc/certificates.js
var certificates = __webpack_require__(9335);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./node_modules/reflect-metadata/Reflect.js
var Reflect = __webpack_require__(477);
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

// EXTERNAL MODULE: ./build/src/core/reconcile/certificate-decision.js
var certificate_decision = __webpack_require__(7196);
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
        const candidate = (0,certificate_decision/* candidateCertificates */.c)([resource], desired.keyFingerprint)[0];
        if (!candidate?.matchesKey)
            throw new errors/* AscProvisionError */.rN(`App Store Connect returned certificate ${resource.id} that does not carry our public key.`);
        logger.info(`Certificate ${type}: created ${candidate.info.serialNumber} (${decision.reason})`);
        return candidate;
    }
    catch (error) {
        if ((0,errors/* isUnknownOutcome */.$u)(error)) {
            const listed = (0,certificate_decision/* candidateCertificates */.c)(await (0,certificates/* listCertificates */.H)(client, [type]), desired.keyFingerprint);
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
            const listed = (0,certificate_decision/* candidateCertificates */.c)(await (0,certificates/* listCertificates */.H)(client, [type]), desired.keyFingerprint);
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
    const listed = (0,certificate_decision/* candidateCertificates */.c)(await (0,certificates/* listCertificates */.H)(client, [type]), desired.keyFingerprint);
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

// EXTERNAL MODULE: ./build/src/core/reconcile/device-plan.js
var device_plan = __webpack_require__(2920);
// EXTERNAL MODULE: ./build/src/core/reconcile/profile-content.js + 9 modules
var profile_content = __webpack_require__(4392);
// EXTERNAL MODULE: ./build/src/core/reconcile/profile-validity.js + 1 modules
var profile_validity = __webpack_require__(7786);
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
            .filter((d) => (0,device_plan/* isCompatibleDevice */.x)(d, rule))
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
                await (0,capabilities/* enableCapability */.m)(client, bundleIdId, change.type, change.settings);
            else if (change.kind === "update")
                await (0,capabilities/* updateCapability */.GX)(client, change.capabilityId, change.type, change.settings);
            else
                await (0,capabilities/* disableCapability */.Ve)(client, change.capabilityId);
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
    const info = (0,profile_content/* readProfileContent */.v)(resource.attributes?.profileContent, ctx.trustedProfileRoots, b.profileName);
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
            info = (0,profile_content/* readProfileContent */.v)(f.resource.attributes?.profileContent, ctx.trustedProfileRoots);
        }
        catch {
            info = undefined;
        }
        const verdict = (0,profile_validity/* evaluateProfile */.d)(f, info, {
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

// EXTERNAL MODULE: ./build/src/core/reconcile/plan.js + 1 modules
var plan = __webpack_require__(8428);
;// CONCATENATED MODULE: ./build/src/core/reconcile/engine.js
// The planning and applying half of the engine, loaded apart from the start-up path: provision() starts
// loading it (with the certificate, CMS and plist libraries it needs) while the first wave of reads is in
// flight, so their load time hides behind the network.




/***/ })

};
