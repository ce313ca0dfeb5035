import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
var __webpack_exports__ = {};

;// CONCATENATED MODULE: external "node:fs"
const external_node_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");
;// CONCATENATED MODULE: ./build/src/core/errors.js
// Typed errors. Every message names what went wrong and how to fix it, and never carries a secret.
class AscProvisionError extends Error {
    name = "AscProvisionError";
}
/** Bad configuration. Carries every problem found, reported together before any request. */
class InputError extends AscProvisionError {
    name = "InputError";
    problems;
    constructor(problems) {
        super(problems.length === 1
            ? `\`${problems[0].input}\`: ${problems[0].message}`
            : `${problems.length} input problems:\n${problems.map((p) => `- \`${p.input}\`: ${p.message}`).join("\n")}`);
        this.problems = problems;
    }
}
/** Key, certificate, CSR, PKCS#12 or profile content that cannot be used. */
class SigningError extends (/* unused pure expression or super */ null && (AscProvisionError)) {
    name = "SigningError";
}
/** An error answer from App Store Connect (or a transport failure talking to it). */
class AscApiError extends AscProvisionError {
    name = "AscApiError";
    /** HTTP status; 0 for a transport failure (connection refused, TLS, timeout). */
    status;
    /** Apple's hierarchical code of the first error, e.g. `ENTITY_ERROR.ATTRIBUTE.INVALID`. */
    code;
    title;
    detail;
    requestId;
    errors;
    method;
    path;
    /** A write whose effect is unknown (5xx, reset or timeout after it was sent): re-read, never repeat blindly. */
    outcomeUnknown;
    constructor(init) {
        super(init.message ??
            `${init.method} ${init.path} failed: ${init.status ? `${init.status} ` : ""}${init.code}: ${init.title}${init.detail ? ` (${init.detail})` : ""}`, init.cause === undefined ? undefined : { cause: init.cause });
        this.status = init.status;
        this.code = init.code;
        this.title = init.title;
        this.detail = init.detail ?? "";
        this.requestId = init.requestId;
        this.errors = init.errors ?? [];
        this.method = init.method;
        this.path = init.path;
        this.outcomeUnknown = init.outcomeUnknown ?? false;
    }
}
/** Readonly mode found changes to make. */
class DriftError extends (/* unused pure expression or super */ null && (AscProvisionError)) {
    name = "DriftError";
}
/** A message for any thrown value; never `[object Object]`. */
function describeError(error) {
    if (error instanceof Error)
        return error.message;
    if (typeof error === "string")
        return error;
    try {
        return JSON.stringify(error);
    }
    catch {
        return String(error);
    }
}
/** 409: another job created it first, or Apple refuses the entity. */
const isConflict = (e) => e instanceof AscApiError && e.status === 409;
/** A write that may or may not have taken effect: re-read, then decide. */
const isUnknownOutcome = (e) => e instanceof AscApiError && e.outcomeUnknown;

;// CONCATENATED MODULE: ./build/src/core/install/install-error.js
// A failure installing on the runner (files, keychain). The message names the step and the fix.

class InstallError extends AscProvisionError {
    name = "InstallError";
}

;// CONCATENATED MODULE: ./build/src/core/install/security-command.js

const SECURITY = "security";
async function security_command_runSecurity(exec, call) {
    const subcommand = call.args[0] ?? "";
    let result;
    try {
        result = await exec.run(SECURITY, call.args, call.input === undefined ? {} : { input: call.input });
    }
    catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new InstallError(`keychain: could not run \`security ${subcommand}\` to ${call.purpose} (${reason}). The keychain needs macOS; set \`keychain: false\` elsewhere.`);
    }
    if (result.code !== 0) {
        const detail = result.stderr.trim() || result.stdout.trim() || "no output";
        throw new InstallError(`keychain: \`security ${subcommand}\` failed to ${call.purpose} (exit ${result.code}): ${detail}`);
    }
    return result.stdout;
}
/** `security list-keychains` / `default-keychain` print one `    "path"` per line. */
function security_command_parseKeychainList(stdout) {
    return stdout
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter(Boolean)
        .map((line) => (line.startsWith('"') && line.endsWith('"') ? line.slice(1, -1) : line));
}
/** `security find-identity` lines: `  1) 0123…ABCD "Apple Distribution: Example (TEAMID)"`. */
function security_command_parseIdentities(stdout) {
    const found = [];
    for (const match of stdout.matchAll(/^\s*\d+\)\s+([0-9A-Fa-f]{40})\s+"(.*)"/gm))
        found.push({ sha1: (match[1] ?? "").toUpperCase(), name: match[2] ?? "" });
    return found;
}
/** macOS reports /var and /tmp paths under /private; compare keychain paths without that prefix. */
function security_command_sameKeychainPath(a, b) {
    const normal = (p) => p.replace(/^\/private(?=\/(var|tmp|etc)\/)/, "");
    return normal(a) === normal(b);
}

;// CONCATENATED MODULE: ./build/src/core/install/keychain.js

/** Tools that may use the key without a prompt (ACL), and the partitions that let them (macOS 10.12+). */
const TRUSTED_TOOLS = (/* unused pure expression or super */ null && (["/usr/bin/codesign", "/usr/bin/security", "/usr/bin/productbuild"]));
const PARTITION_LIST = "apple-tool:,apple:,codesign:";
/** Lock after six hours idle (-t), on sleep (-l), after the timeout (-u): long enough for any job. */
const LOCK_TIMEOUT_SECONDS = 21600;
async function installKeychain(exec, recorder, logger, request) {
    const { path, password } = request;
    const previousSearchList = parseKeychainList(await runSecurity(exec, { args: ["list-keychains", "-d", "user"], purpose: "read the search list" }));
    const previousDefault = request.makeDefault
        ? parseKeychainList(await runSecurity(exec, {
            args: ["default-keychain", "-d", "user"],
            purpose: "read the default keychain",
        }))[0]
        : undefined;
    // Password twice on stdin (getpass: "password for new keychain", "retype ...").
    await runSecurity(exec, {
        args: ["create-keychain", path],
        input: `${password}\n${password}\n`,
        purpose: "create the keychain",
    });
    const entry = { kind: "keychain", path, previousSearchList: previousSearchList };
    if (previousDefault !== undefined)
        entry.previousDefault = previousDefault;
    recorder.record(entry);
    logger.info(`keychain: created ${path}`);
    await runSecurity(exec, {
        args: ["set-keychain-settings", "-lut", String(LOCK_TIMEOUT_SECONDS), path],
        purpose: "set the lock timeout",
    });
    // Password on stdin (getpass: "password to unlock <path>").
    await runSecurity(exec, { args: ["unlock-keychain", path], input: `${password}\n`, purpose: "unlock it" });
    // The one password on argv: `-P` is the only non-interactive way to pass a PKCS#12 passphrase.
    await runSecurity(exec, {
        args: [
            "import",
            request.p12Path,
            "-k",
            path,
            "-f",
            "pkcs12",
            "-P",
            request.p12Password,
            ...TRUSTED_TOOLS.flatMap((tool) => ["-T", tool]),
        ],
        purpose: "import the certificate and its key",
    });
    if (request.certificatePaths.length > 0) {
        await runSecurity(exec, {
            args: ["add-certificates", "-k", path, ...request.certificatePaths],
            purpose: "add the WWDR certificates",
        });
        logger.info(`keychain: added ${request.certificatePaths.length} WWDR certificate(s)`);
    }
    // Password on stdin (getpass: "password to unlock <path>"); without the partition list codesign prompts
    // and the job hangs.
    await runSecurity(exec, {
        args: ["set-key-partition-list", "-S", PARTITION_LIST, "-s", path],
        input: `${password}\n`,
        purpose: "allow codesign to use the key without a prompt",
    });
    const searchList = [path, ...previousSearchList.filter((p) => !sameKeychainPath(p, path))];
    await runSecurity(exec, {
        args: ["list-keychains", "-d", "user", "-s", ...searchList],
        purpose: "add it to the search list",
    });
    logger.info(`keychain: added to the user search list (kept ${previousSearchList.length} existing entries)`);
    if (request.makeDefault) {
        await runSecurity(exec, {
            args: ["default-keychain", "-d", "user", "-s", path],
            purpose: "make it the default keychain",
        });
        logger.info("keychain: made the default keychain");
    }
    const identities = parseIdentities(await runSecurity(exec, {
        args: ["find-identity", "-v", "-p", "codesigning", path],
        purpose: "list its code signing identities",
    }));
    const identityValid = identities.some((i) => i.sha1 === request.identitySha1.toUpperCase());
    if (identityValid)
        logger.info(`keychain: code signing identity ${request.identitySha1} is valid`);
    else
        logger.warning(`keychain: the identity ${request.identitySha1} was imported into ${path}, but macOS does not list it as a valid code signing identity. Usually Apple's WWDR intermediate certificate is missing from this runner: pass it with \`wwdr-certificates\` (https://www.apple.com/certificateauthority/).`);
    return { path, identityValid };
}
/** Undoes a recorded keychain: search list and default keychain restored, keychain deleted. Returns the
 * problems met (the caller warns; post never fails). Safe to run twice. */
async function removeKeychain(exec, entry, exists, logger) {
    const problems = [];
    const attempt = async (what, fn) => {
        try {
            await fn();
        }
        catch (error) {
            problems.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
        }
    };
    const ours = (p) => security_command_sameKeychainPath(p, entry.path);
    await attempt("restore the search list", async () => {
        let current;
        try {
            current = security_command_parseKeychainList(await security_command_runSecurity(exec, { args: ["list-keychains", "-d", "user"], purpose: "read the search list" }));
        }
        catch {
            current = entry.previousSearchList;
        }
        // Drop ours, keep what others added since, put back what was there before us.
        const restored = current.filter((p) => !ours(p));
        for (const p of entry.previousSearchList)
            if (!ours(p) && !restored.some((r) => security_command_sameKeychainPath(r, p)))
                restored.push(p);
        const unchanged = restored.length === current.length && restored.every((p, i) => p === current[i]);
        if (unchanged)
            return;
        await security_command_runSecurity(exec, {
            args: ["list-keychains", "-d", "user", "-s", ...restored],
            purpose: "restore the search list",
        });
        logger.info("keychain: restored the user search list");
    });
    if (entry.previousDefault !== undefined) {
        const previousDefault = entry.previousDefault;
        await attempt("restore the default keychain", async () => {
            const current = security_command_parseKeychainList(await security_command_runSecurity(exec, {
                args: ["default-keychain", "-d", "user"],
                purpose: "read the default keychain",
            }))[0];
            if (current !== undefined && !ours(current))
                return;
            await security_command_runSecurity(exec, {
                args: ["default-keychain", "-d", "user", "-s", previousDefault],
                purpose: "restore the default keychain",
            });
            logger.info(`keychain: restored the default keychain ${previousDefault}`);
        });
    }
    if (exists(entry.path))
        await attempt("delete the keychain", async () => {
            await security_command_runSecurity(exec, { args: ["delete-keychain", entry.path], purpose: "delete the keychain" });
            logger.info(`keychain: deleted ${entry.path}`);
        });
    return problems;
}

;// CONCATENATED MODULE: ./build/src/core/cleanup.js
// Undoes what main recorded on the runner, newest first. Never throws: every problem becomes a warning,
// because a cleanup step must not fail a job whose real work is done. Running it twice is harmless:
// what is already gone is skipped.



async function undoRecordedEntries(entries, deps) {
    const report = { undone: 0, warnings: [] };
    const warn = (message) => {
        report.warnings.push(message);
        deps.logger.warning(message);
    };
    for (const entry of [...entries].reverse()) {
        try {
            if (entry.kind === "file") {
                if (!(0,external_node_fs_namespaceObject.existsSync)(entry.path))
                    continue;
                (0,external_node_fs_namespaceObject.unlinkSync)(entry.path);
                report.undone++;
                deps.logger.info(`removed ${entry.path}`);
            }
            else if (entry.kind === "directory") {
                if (!(0,external_node_fs_namespaceObject.existsSync)(entry.path))
                    continue;
                try {
                    (0,external_node_fs_namespaceObject.rmdirSync)(entry.path);
                    report.undone++;
                    deps.logger.info(`removed ${entry.path}`);
                }
                catch (error) {
                    if (error.code !== "ENOTEMPTY")
                        throw error;
                    deps.logger.debug(`left ${entry.path}: something else put files there`);
                }
            }
            else {
                // Always run: the search list may still name our keychain even when its file is gone.
                if ((0,external_node_fs_namespaceObject.existsSync)(entry.path))
                    report.undone++;
                for (const problem of await removeKeychain(deps.exec, entry, external_node_fs_namespaceObject.existsSync, deps.logger))
                    warn(`cleanup: keychain ${entry.path}: ${problem}`);
            }
        }
        catch (error) {
            warn(`cleanup: could not undo ${entry.kind} ${entry.path}: ${describeError(error)}`);
        }
    }
    return report;
}

;// CONCATENATED MODULE: ./build/src/action/action-metadata.js
// The inputs and outputs of action.yml, as code. action.yml is the source of truth; a test
// (test/action/action-metadata.test.ts) checks that these names, defaults and required flags match it.
/** Input name → default from action.yml ("" when it has none). */
const INPUT_DEFAULTS = {
    "issuer-id": "",
    "key-id": "",
    "private-key": "",
    "api-base-url": "https://api.appstoreconnect.apple.com",
    "bundle-ids": "",
    "bundle-id-names": "",
    platform: "",
    "profile-type": "IOS_APP_STORE",
    "profile-name": "{bundleId} {type}",
    "min-days-valid": "30",
    capabilities: "",
    "capabilities-exclusive": "false",
    "certificate-private-key": "",
    "certificate-p12": "",
    "certificate-p12-password": "",
    "certificate-type": "",
    "certificate-renew-days": "0",
    devices: "",
    "device-selection": "all",
    "reenable-devices": "false",
    mode: "apply",
    install: "true",
    "install-dir": "",
    keychain: "auto",
    "keychain-default": "false",
    "wwdr-certificates": "",
    "export-options": "true",
    cache: "false",
    "cache-passphrase": "",
    cleanup: "true",
};
const INPUT_NAMES = Object.keys(INPUT_DEFAULTS);
const REQUIRED_INPUTS = (/* unused pure expression or super */ null && (["issuer-id", "key-id", "private-key", "bundle-ids"]));
/** Inputs this adapter masks itself (parseConfig masks the API key and certificate inputs). */
const ADAPTER_SECRET_INPUTS = (/* unused pure expression or super */ null && (["cache-passphrase"]));
const OUTPUT_NAMES = (/* unused pure expression or super */ null && ([
    "team-id",
    "certificate-id",
    "certificate-serial",
    "certificate-sha1",
    "certificate-name",
    "certificate-expiration",
    "signing-identity",
    "profile-uuid",
    "profile-name",
    "profile-path",
    "profile-expiration",
    "profiles",
    "app-id",
    "keychain-path",
    "p12-path",
    "p12-password",
    "export-options-path",
    "plan",
    "changed",
    "degraded",
]));
const ACTION_NAME = "asc-provision";

;// CONCATENATED MODULE: external "node:child_process"
const external_node_child_process_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:child_process");
;// CONCATENATED MODULE: ./build/src/action/exec.js
// The real Exec port: child_process.spawn without a shell, stdin written then closed, output collected.
// Each command runs in a new session (detached: setsid), so it has no controlling terminal: programs
// that prompt through getpass(3) — `security` when no password option is given — then read the password
// from the stdin we provide instead of a terminal, and nothing can wait on a prompt forever. A timeout
// ends the command's whole process group as a last resort.

function createProcessExec(options = {}) {
    const timeoutMs = options.timeoutMs ?? 120_000;
    return {
        run(command, args, runOptions = {}) {
            return new Promise((resolve, reject) => {
                const child = (0,external_node_child_process_namespaceObject.spawn)(command, args, {
                    shell: false,
                    detached: true,
                    stdio: ["pipe", "pipe", "pipe"],
                    env: runOptions.env ? { ...process.env, ...runOptions.env } : process.env,
                });
                const stdout = [];
                const stderr = [];
                let timedOut = false;
                const timer = setTimeout(() => {
                    timedOut = true;
                    try {
                        if (child.pid !== undefined)
                            process.kill(-child.pid, "SIGKILL");
                    }
                    catch {
                        child.kill("SIGKILL");
                    }
                }, timeoutMs);
                child.stdout.on("data", (chunk) => stdout.push(chunk));
                child.stderr.on("data", (chunk) => stderr.push(chunk));
                child.stdin.on("error", () => {
                    // The command exited without reading its input; its exit code tells what happened.
                });
                child.on("error", (error) => {
                    clearTimeout(timer);
                    reject(error);
                });
                child.on("close", (code, signal) => {
                    clearTimeout(timer);
                    const err = Buffer.concat(stderr).toString("utf8");
                    resolve({
                        code: code ?? 128,
                        stdout: Buffer.concat(stdout).toString("utf8"),
                        stderr: timedOut
                            ? `${err}\n${command} did not finish within ${timeoutMs / 1000} s and was stopped`
                            : signal
                                ? `${err}\n${command} ended by ${signal}`
                                : err,
                    });
                });
                child.stdin.end(runOptions.input ?? "");
            });
        },
    };
}

;// CONCATENATED MODULE: ./build/src/action/logger.js
function createActionsLogger(core) {
    let depth = 0;
    return {
        debug: (message) => core.debug(message),
        info: (message) => core.info(message),
        warning: (message) => core.warning(message),
        error: (message) => core.error(message),
        async group(name, fn) {
            if (depth > 0) {
                core.info(`— ${name}`);
                return fn();
            }
            depth++;
            core.startGroup(name);
            try {
                return await fn();
            }
            finally {
                core.endGroup();
                depth--;
            }
        },
    };
}

;// CONCATENATED MODULE: ./build/src/action/state.js
const STATE_KEY = "asc-provision-cleanup";
class StateFileRecorder {
    #save;
    #record;
    constructor(save, cleanup) {
        this.#save = save;
        this.#record = { version: 1, cleanup, entries: [] };
        this.#flush();
    }
    get entries() {
        return this.#record.entries;
    }
    setCleanup(cleanup) {
        this.#record.cleanup = cleanup;
        this.#flush();
    }
    record(entry) {
        this.#record.entries.push(entry);
        this.#flush();
    }
    #flush() {
        this.#save(STATE_KEY, JSON.stringify(this.#record));
    }
}
/** The record main saved, or undefined when there is none (main did not run or saved nothing). Throws on
 * a malformed record. */
function loadCleanupRecord(getState) {
    const text = getState(STATE_KEY);
    if (!text)
        return undefined;
    const value = JSON.parse(text);
    if (!isRecord(value))
        throw new Error(`state ${STATE_KEY} is not a cleanup record`);
    return value;
}
function isRecord(value) {
    if (typeof value !== "object" || value === null)
        return false;
    const v = value;
    return (v.version === 1 &&
        typeof v.cleanup === "boolean" &&
        Array.isArray(v.entries) &&
        v.entries.every((e) => typeof e === "object" &&
            e !== null &&
            typeof e.path === "string" &&
            (e.kind === "file" ||
                e.kind === "directory" ||
                (e.kind === "keychain" && Array.isArray(e.previousSearchList)))));
}

;// CONCATENATED MODULE: external "node:crypto"
const external_node_crypto_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");
;// CONCATENATED MODULE: external "node:os"
const external_node_os_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");
;// CONCATENATED MODULE: ./build/src/action/workflow-commands.js
// The runner's workflow-command protocol: the 13 functions of @actions/core the adapter uses (ActionsCore),
// re-implemented on node: built-ins only.
//
// Why: `import "@actions/core"` (3.0.1) is expensive at start-up: core.js imports its OIDC client, which
// imports @actions/http-client and with it all of undici (1.6 MB), and platform.js imports @actions/exec and
// @actions/io. Measured with Node 24.21 on the project's 2-core machine: `await import("@actions/core")`
// takes 120–236 ms; importing this module takes ~20 ms, node:crypto/fs/os included. Start-up budget: 200 ms.
//
// Each rule below follows node_modules/@actions/core/lib/{core,command,file-command,utils}.js of 3.0.1,
// and test/unit/workflow-commands.test.ts holds this module to the real @actions/core byte for byte
// (stdout, GITHUB_OUTPUT/GITHUB_STATE files, process.exitCode, thrown errors). Do not "improve" it:
// quirks such as the trailing space in `::error ::msg` are the reference behaviour.



// utils.js toCommandValue: null/undefined → "", strings (primitive or boxed) as is, anything else as JSON.
function toCommandValue(input) {
    if (input === null || input === undefined)
        return "";
    if (typeof input === "string" || input instanceof String)
        return input;
    return JSON.stringify(input);
}
// utils.js toCommandProperties: no keys → no properties; otherwise all six keys, renamed as the runner
// expects (startLine → line, startColumn → col), undefined ones included (Command skips them).
function toCommandProperties(properties) {
    if (!Object.keys(properties).length)
        return {};
    return {
        title: properties.title,
        file: properties.file,
        line: properties.startLine,
        endLine: properties.endLine,
        col: properties.startColumn,
        endColumn: properties.endColumn,
    };
}
// command.js escapeData / escapeProperty.
function escapeData(s) {
    return toCommandValue(s).replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}
function escapeProperty(s) {
    return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
// command.js Command.toString + issueCommand: `::name k=v,k=v::message` + EOL on stdout. A non-empty
// properties object always adds the space, even when every value is falsy (skipped): `::error ::msg`.
function issueCommand(command, properties, message) {
    let line = `::${command}`;
    if (Object.keys(properties).length > 0) {
        line += " ";
        let first = true;
        for (const key in properties) {
            if (!Object.hasOwn(properties, key))
                continue;
            const value = properties[key];
            if (!value)
                continue;
            line += `${first ? "" : ","}${key}=${escapeProperty(value)}`;
            first = false;
        }
    }
    line += `::${escapeData(message)}`;
    process.stdout.write(line + external_node_os_namespaceObject.EOL);
}
// file-command.js prepareKeyValueMessage: a heredoc with a fresh random delimiter, refused when the key
// or value contains it.
function prepareKeyValueMessage(key, value) {
    const delimiter = `ghadelimiter_${(0,external_node_crypto_namespaceObject.randomUUID)()}`;
    const converted = toCommandValue(value);
    if (key.includes(delimiter)) {
        throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`);
    }
    if (converted.includes(delimiter)) {
        throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`);
    }
    return `${key}<<${delimiter}${external_node_os_namespaceObject.EOL}${converted}${external_node_os_namespaceObject.EOL}${delimiter}`;
}
// file-command.js issueFileCommand: append to the file named by GITHUB_<command>, which must exist.
function issueFileCommand(command, message) {
    const filePath = process.env[`GITHUB_${command}`];
    if (!filePath)
        throw new Error(`Unable to find environment variable for file command ${command}`);
    if (!(0,external_node_fs_namespaceObject.existsSync)(filePath))
        throw new Error(`Missing file at path: ${filePath}`);
    (0,external_node_fs_namespaceObject.appendFileSync)(filePath, `${toCommandValue(message)}${external_node_os_namespaceObject.EOL}`, { encoding: "utf8" });
}
// core.js error / warning / notice: Errors become their toString().
function annotate(command, message, properties = {}) {
    issueCommand(command, toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
// core.js, function by function. process.env is read at each call, never at import.
const workflowCommands = {
    getInput(name, options) {
        const val = process.env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] || "";
        // `required` is checked before trimming, as core does: whitespace alone passes and returns "".
        if (options?.required && !val)
            throw new Error(`Input required and not supplied: ${name}`);
        if (options?.trimWhitespace === false)
            return val;
        return val.trim();
    },
    setOutput(name, value) {
        if (process.env.GITHUB_OUTPUT)
            return issueFileCommand("OUTPUT", prepareKeyValueMessage(name, value));
        // Legacy stdout command: core writes a bare EOL first.
        process.stdout.write(external_node_os_namespaceObject.EOL);
        issueCommand("set-output", { name }, toCommandValue(value));
    },
    setSecret(secret) {
        issueCommand("add-mask", {}, secret);
    },
    saveState(name, value) {
        if (process.env.GITHUB_STATE)
            return issueFileCommand("STATE", prepareKeyValueMessage(name, value));
        issueCommand("save-state", { name }, toCommandValue(value));
    },
    getState(name) {
        return process.env[`STATE_${name}`] || "";
    },
    setFailed(message) {
        process.exitCode = 1;
        annotate("error", message);
    },
    debug(message) {
        issueCommand("debug", {}, message);
    },
    info(message) {
        process.stdout.write(message + external_node_os_namespaceObject.EOL);
    },
    notice(message, properties) {
        annotate("notice", message, properties);
    },
    warning(message, properties) {
        annotate("warning", message, properties);
    },
    error(message, properties) {
        annotate("error", message, properties);
    },
    startGroup(name) {
        issueCommand("group", {}, name);
    },
    endGroup() {
        issueCommand("endgroup", {}, "");
    },
};

;// CONCATENATED MODULE: ./build/src/action/run-post.js
// The post step: undo what main recorded on the runner (never App Store Connect resources), newest first.
// Never fails the job: every problem is a warning. Runs safely after a main that failed half-way (only
// what was recorded is undone) and a second time (nothing left to do).







async function runPost(overrides = {}) {
    const deps = { core: workflowCommands, exec: createProcessExec(), ...overrides };
    const { core } = deps;
    const logger = createActionsLogger(core);
    try {
        const record = loadCleanupRecord((name) => core.getState(name));
        if (!record || record.entries.length === 0) {
            core.info(`${ACTION_NAME}: nothing was installed, nothing to clean up`);
            return;
        }
        if (!record.cleanup) {
            core.info(`${ACTION_NAME}: cleanup is false, leaving ${record.entries.length} installed item(s) in place`);
            return;
        }
        await logger.group("Clean up", async () => {
            const report = await undoRecordedEntries(record.entries, { exec: deps.exec, logger });
            core.info(report.undone === 0
                ? "nothing left to clean up"
                : `cleaned up ${report.undone} item(s)${report.warnings.length ? ` with ${report.warnings.length} warning(s)` : ""}`);
        });
    }
    catch (error) {
        core.warning(`${ACTION_NAME} post: ${describeError(error)}`);
    }
}

;// CONCATENATED MODULE: ./build/src/action/post.js
// Entry point of the post step (dist/post): no logic here.

void runPost();

