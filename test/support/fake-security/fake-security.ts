// A stand-in for macOS `security`, run as the executable `security` (see ./security) by tests on any OS.
// It records every call (argv, stdin, exit code, how /dev/tty answered, violations) as a JSON line in
// $FAKE_SECURITY_LOG, keeps a keychain registry in $FAKE_SECURITY_STATE, and behaves like the real tool
// for the subcommands the action uses, as read in Apple's sources:
//
//   Security  https://github.com/apple-oss-distributions/Security
//     db15acbe6a7f257a859ad9a3bb86097bfe0679d9 (Security-61901.0.87.0.1, macOS 26)
//     3dab46a11f45f2ffdbd70e2127cc5a8ce4a1f222 (Security-61439.1.1, macOS 15)
//     b4bd4fda62af1ebf469ee97f0112fb49363fb482 (Security-61123.140.15, macOS 14)
//   Libc      https://github.com/apple-oss-distributions/Libc
//     55b54c0a0c37b3b24393b42b90a4c561d6c606b1 (Libc-1725.0.11): gen/FreeBSD/readpassphrase.c
//   xnu       https://github.com/apple-oss-distributions/xnu
//     e3723e1f17661b24996789d8afc084c0c3303b26 (xnu-11417.101.15): bsd/kern/tty_tty.c
//
// - Passwords not given as options are read by getpass(3) (./getpass.ts: Libc readpassphrase.c): /dev/tty
//   first, standard input only when /dev/tty cannot be opened (ENXIO without a controlling terminal:
//   xnu tty_tty.c cttyopen); '\r' ends a password like '\n'. A prompt that reaches /dev/tty is a
//   violation and fails the call (the real tool would wait on the terminal until the job is killed).
// - create-keychain (SecurityTool/macOS/keychain_create.c): without -p asks "password for new keychain",
//   "retype ..." up to three times; "passwords don't match" each time, exit 1 after three mismatches; a
//   mismatch then end of input gives "" twice, which match: a keychain with an EMPTY password, exit 0.
// - unlock-keychain (keychain_unlock.c): "password to unlock <path>" (keychain_utilities.c
//   prompt_password); a wrong one exits 51 (errSecAuthFailed & 0xff, the OSStatus is the exit status).
// - set-key-partition-list (keychain_find.c keychain_set_key_partition_list): options
//   ":a:c:dD:ej:k:l:rsS:t:uvw" (-s = keys that can sign); unlocks with the password (failure: exit 1),
//   then SecItemCopyMatching: no matching key is errSecItemNotFound, exit 1.
// - import (keychain_import.c): options "k:t:f:P:wxa:hAT:"; without -P, macOS 14 and older pass
//   kSecKeySecurePassphrase to SecKeychainItemImport (a SecurityAgent dialog: a hang on a runner, here a
//   violation and a failure), macOS 15 and newer (Security-61439) use SecPKCS12Import with a getpass
//   prompt "password to unlock <file name>". Which PKCS#12 files each accepts: fake-certificates.ts.
//   $FAKE_SECURITY_MACOS (major version, default 15) selects the behaviour.
// - add-certificates (keychain_add.c do_add_certificates): every file is tried; one already present
//   prints "<file>: already in <keychain>" and makes the exit status 1, the others are still added.
// - list-keychains -s (keychain_list.c): SecKeychainOpen does not check that a path exists, so any path
//   is accepted into the search list. default-keychain -s: StorageManager::defaultKeychain
//   (OSX/libsecurity_keychain/lib/StorageManager.cpp keychainOwnerPermissionsValidForDomain) refuses a
//   file that does not exist ("Will not set default: file ... does not exist", errSecWrPerm, exit 1).
// - find-identity (identity_find.m): "%3d) SHA1 \"name\"", invalid ones followed by " (CSSM reason)";
//   validity as ./code-signing-trust.ts evaluates it.
// Misuse is flagged: a password on argv where `security` would read it from stdin is a violation.
// $FAKE_SECURITY_FAIL (comma-separated subcommands) makes those subcommands fail, to simulate a main
// that stops half-way.
import { appendFileSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import type { TrustResult } from "./code-signing-trust.ts";
import {
  emptyKeychain,
  type FakeCertificate,
  type FakeKeychain,
  type FakeSecurityState,
  loadState,
  saveState,
} from "./fake-keychain-state.ts";
import { getopt, has, UsageError, value, values } from "./getopt.ts";
import { createGetpass, type Getpass, TerminalPromptError } from "./getpass.ts";

export interface FakeSecurityLogEntry {
  argv: string[];
  stdin: string;
  exit: number;
  /** How opening /dev/tty answered when getpass ran: "opened", an errno code ("ENXIO"), or absent. */
  tty?: string;
  violations: string[];
}

interface Outcome {
  code: number;
  stdout?: string;
  stderr?: string;
}

/** Loaded only by the subcommands that need them (every call is a new process). */
type Certificates = typeof import("./fake-certificates.ts");
type Trust = typeof import("./code-signing-trust.ts");

interface Call {
  args: string[];
  certificates: Certificates;
  trust: Trust;
  state: FakeSecurityState;
  violations: string[];
  /** Major version of macOS modelled ($FAKE_SECURITY_MACOS, default 15). */
  macos: number;
  getpass: Getpass;
  /** Text written to stderr before the outcome (prompts, "passwords don't match"). */
  stderr: string[];
}

export const DEFAULT_MACOS = 15;
const quoted = (paths: string[]): string => paths.map((p) => `    "${p}"\n`).join("");
const fail = (stderr: string, code = 1): Outcome => ({ code, stderr: `${stderr}\n` });
const usage = (text: string): Outcome => fail(`Usage: ${text}`, 2);
const ERR = {
  noSuchKeychain: "The specified keychain could not be found.",
  authFailed: "The user name or passphrase you entered is not correct.",
  itemNotFound: "The specified item could not be found in the keychain.",
  duplicateKeychain: "A keychain with the same name already exists.",
  wrPerm: "Write permissions error.",
};

/** SecKeychainOpen never fails for a path; operations on a keychain that does not exist do. */
function openKeychain(call: Call, path: string): FakeKeychain | undefined {
  return call.state.keychains[path];
}

const handlers: Record<string, (call: Call) => Outcome> = {
  "create-keychain"(call) {
    const parsed = getopt(call.args, "hp:P");
    const path = parsed.operands[0];
    if (!path || parsed.operands.length !== 1)
      return usage("create-keychain [-P] [-p password] [keychains...]");
    let password = value(parsed, "p");
    if (password !== undefined)
      call.violations.push("create-keychain: password on argv (-p); omit -p and send it on stdin");
    else if (has(parsed, "P")) {
      call.violations.push("create-keychain -P: the password would be asked by a SecurityAgent dialog");
      return fail(
        "fake security: create-keychain -P shows a SecurityAgent dialog: on a runner it never returns",
      );
    } else {
      let matched = false;
      for (let tries = 0; tries < 3 && !matched; tries++) {
        const first = call.getpass("password for new keychain: ");
        const second = call.getpass("retype password for new keychain: ");
        if (first === second) {
          matched = true;
          password = first;
        } else call.stderr.push("passwords don't match\n");
      }
      if (!matched) return { code: 1 };
    }
    if (call.state.keychains[path] || existsSync(path))
      return fail(`security: SecKeychainCreate ${path}: ${ERR.duplicateKeychain}`, 48);
    writeFileSync(path, "fake keychain database\n", { mode: 0o600 });
    call.state.keychains[path] = emptyKeychain(password ?? "");
    return { code: 0 };
  },

  "delete-keychain"(call) {
    const parsed = getopt(call.args, "h");
    if (parsed.operands.length === 0)
      return fail(
        "fake security: delete-keychain without operands deletes the default keychain; the fake refuses",
      );
    for (const path of parsed.operands) {
      if (!call.state.keychains[path]) return fail(`security: SecKeychainDelete: ${ERR.noSuchKeychain}`, 50);
      delete call.state.keychains[path];
      call.state.searchList = call.state.searchList.filter((p) => p !== path);
      rmSync(path, { force: true });
    }
    return { code: 0 };
  },

  "list-keychains"(call) {
    const parsed = getopt(call.args, "d:hs");
    const domain = value(parsed, "d") ?? "user";
    if (!"user".startsWith(domain) || domain === "") return fail("the fake knows the user domain only");
    if (!has(parsed, "s")) {
      if (parsed.operands.length > 0)
        return usage("list-keychains [-h] [-d user|system|common|dynamic] [-s [keychain...]]");
      return { code: 0, stdout: quoted(call.state.searchList) };
    }
    // keychain_create_array → SecKeychainOpen: no existence check, the paths are stored as given.
    call.state.searchList = [...parsed.operands];
    return { code: 0 };
  },

  "default-keychain"(call) {
    const parsed = getopt(call.args, "d:hs");
    const domain = value(parsed, "d");
    if (!has(parsed, "s")) return { code: 0, stdout: quoted([call.state.defaultKeychain]) };
    const path = parsed.operands[0];
    if (!path || parsed.operands.length !== 1)
      return usage("default-keychain [-h] [-d user|system|common] [-s [keychain]]");
    const api = domain ? `SecKeychainSetDomainDefault ${domain}` : "SecKeychainSetDefault";
    // The registry's keychains stand for files that exist (the login keychain has no file in tests).
    let problem: string | undefined;
    if (!call.state.keychains[path])
      try {
        const stat = statSync(path);
        if ((stat.mode & 0o600) !== 0o600) problem = `file ${path} does not have the expected permissions`;
      } catch {
        problem = `file ${path} does not exist`;
      }
    if (problem) return fail(`Will not set default: ${problem}\nsecurity: ${api}: ${ERR.wrPerm}`);
    call.state.defaultKeychain = path;
    return { code: 0 };
  },

  "unlock-keychain"(call) {
    const parsed = getopt(call.args, "hp:u");
    const path = parsed.operands[0];
    if (!path || parsed.operands.length !== 1) return fail("the fake needs the keychain operand");
    let password = value(parsed, "p");
    if (password !== undefined)
      call.violations.push("unlock-keychain: password on argv (-p); omit -p and send it on stdin");
    else password = call.getpass(`password to unlock ${path}: `);
    const keychain = openKeychain(call, path);
    if (!keychain) return fail(`security: SecKeychainUnlock ${path}: ${ERR.noSuchKeychain}`, 50);
    if (password !== keychain.password)
      return fail(`security: SecKeychainUnlock ${path}: ${ERR.authFailed}`, 51);
    keychain.locked = false;
    return { code: 0 };
  },

  "set-keychain-settings"(call) {
    const parsed = getopt(call.args, "hlut:");
    const path = parsed.operands[0];
    if (!path) return fail("the fake needs the keychain operand");
    const keychain = openKeychain(call, path);
    if (!keychain) return fail(`security: SecKeychainSetSettings ${path}: ${ERR.noSuchKeychain}`, 50);
    const timeout = value(parsed, "t");
    if (timeout !== undefined && !/^\d+$/.test(timeout))
      return usage("set-keychain-settings [-hlu] [-t timeout] [keychain]");
    keychain.settings = {
      lockOnSleep: has(parsed, "l"),
      lockAfterTimeout: has(parsed, "u"),
      timeoutSeconds: timeout === undefined ? undefined : Number(timeout),
    };
    return { code: 0 };
  },

  import(call) {
    // `security import inputfile [options]`: the file comes first, options after it.
    const [file, ...rest] = call.args;
    if (!file || (rest.length === 0 && file.startsWith("-")))
      return usage("import inputfile [-k keychain] ...");
    const parsed = getopt(rest, "k:t:f:P:wxa:hAT:");
    if (parsed.operands.length > 0) return fail(`security: unexpected argument ${parsed.operands[0]}`, 2);
    const path = value(parsed, "k");
    if (!path)
      return fail("fake security: import without -k would use the default keychain; the fake wants -k");
    const keychain = openKeychain(call, path);
    if (!keychain) return fail(`security: SecKeychainItemImport: ${ERR.noSuchKeychain}`);
    if (!existsSync(file)) return fail(`security: ${file}: No such file or directory`);
    if (value(parsed, "f") !== "pkcs12") return fail("the fake imports PKCS#12 only (-f pkcs12)");
    if (keychain.locked) return fail("security: SecKeychainItemImport: User interaction is not allowed.");
    let passphrase = value(parsed, "P");
    if (passphrase === undefined) {
      if (call.macos <= 14) {
        call.violations.push(
          `import without -P on macOS ${call.macos}: the passphrase is asked by a SecurityAgent dialog (kSecKeySecurePassphrase)`,
        );
        return fail(
          `fake security: macOS ${call.macos} asks the PKCS#12 passphrase in a SecurityAgent dialog: on a runner it never returns; pass -P`,
        );
      }
      passphrase = call.getpass(`password to unlock ${basename(file)}: `);
    }
    try {
      const identity = call.certificates.readPkcs12Identity(readFileSync(file), passphrase, call.macos);
      if (!identity.keyMatches)
        return fail("security: the key in the PKCS#12 does not belong to its certificate");
      if (keychain.identities.some((i) => i.sha1 === identity.certificate.sha1))
        return fail("security: SecKeychainItemImport: The specified item already exists in the keychain.");
      keychain.identities.push({
        ...identity.certificate,
        trustedApplications: values(parsed, "T"),
        partitionList: undefined,
      });
      return { code: 0, stdout: "1 identity imported.\n" };
    } catch (error) {
      if (error instanceof call.certificates.Pkcs12ImportError) return fail(error.message);
      throw error;
    }
  },

  "set-key-partition-list"(call) {
    const parsed = getopt(call.args, "a:c:dD:ej:k:l:rsS:t:uvw");
    if (parsed.operands.length > 1) return usage("set-key-partition-list [options...] [keychain]");
    const path = parsed.operands[0];
    if (path === "") return usage("set-key-partition-list [options...] [keychain]");
    const partitions = value(parsed, "S");
    if (!partitions) return usage("set-key-partition-list [options...] [keychain]");
    if (!path)
      return fail(
        "fake security: without a keychain operand the real tool searches every keychain; the fake wants one",
      );
    let password = value(parsed, "k");
    if (password !== undefined)
      call.violations.push("set-key-partition-list: password on argv (-k); omit -k and send it on stdin");
    else password = call.getpass(`password to unlock ${path}: `);
    const keychain = openKeychain(call, path);
    if (!keychain) return fail(`security: SecKeychainUnlock: ${ERR.noSuchKeychain}`);
    if (password !== keychain.password) return fail(`security: SecKeychainUnlock: ${ERR.authFailed}`);
    keychain.locked = false;
    const label = value(parsed, "l");
    // Every identity's private key can sign; the query's other attributes are not modelled.
    const keys = keychain.identities.filter((i) => label === undefined || i.commonName === label);
    if (keys.length === 0) return fail(`security: SecItemCopyMatching: ${ERR.itemNotFound}`);
    for (const identity of keys) identity.partitionList = partitions;
    return {
      code: 0,
      stdout: keys.map((i) => `keychain: "${path}"\n    "labl"<blob>="${i.commonName}"\n`).join(""),
    };
  },

  "add-certificates"(call) {
    const parsed = getopt(call.args, "hk:");
    const path = value(parsed, "k");
    if (path === "" || parsed.operands.length === 0) return usage("add-certificates [-k keychain] file...");
    if (path === undefined)
      return fail("fake security: add-certificates without -k uses the default keychain; the fake wants -k");
    const keychain = openKeychain(call, path);
    let code = 0;
    const errors: string[] = [];
    // trusted_cert_utils.c readCertFile reports an unreadable file with printf (standard output).
    const printed: string[] = [];
    for (const file of parsed.operands) {
      let certificates: FakeCertificate[];
      try {
        certificates = call.certificates.readCertificateFile(readFileSync(file)).slice(0, 1);
      } catch {
        printed.push(`***Error reading file ${file}\n`);
        code = 1;
        continue;
      }
      if (!keychain) {
        errors.push(`security: SecCertificateAddToKeychain: ${ERR.noSuchKeychain}`);
        code = 1;
        continue;
      }
      for (const certificate of certificates) {
        if (keychain.certificates.some((c) => c.sha1 === certificate.sha1)) {
          errors.push(`security: ${file}: already in ${path}`);
          code = 1;
        } else keychain.certificates.push(certificate);
      }
    }
    return {
      code,
      ...(printed.length > 0 ? { stdout: printed.join("") } : {}),
      ...(errors.length > 0 ? { stderr: `${errors.join("\n")}\n` } : {}),
    };
  },

  "find-identity"(call) {
    const parsed = getopt(call.args, "hp:s:v");
    const policies = values(parsed, "p");
    if (policies.some((p) => p !== "codesigning")) return fail("the fake knows -p codesigning only");
    const paths = parsed.operands.length > 0 ? parsed.operands : call.state.searchList;
    const identities = paths.flatMap((p) => call.state.keychains[p]?.identities ?? []);
    const searched = new Set([...paths, ...call.state.searchList]);
    const pool = [
      ...call.state.systemCertificates,
      ...[...searched].flatMap((p) => call.state.keychains[p]?.certificates ?? []),
    ].map((c) => c.pem);
    const anchors = call.state.systemCertificates.filter((c) => c.ca).map((c) => c.pem);
    const judged = identities.map((i) => ({
      i,
      trust: call.trust.evaluateCodeSigning(i.pem, pool, anchors) as TrustResult,
    }));
    const line = (i: FakeCertificate, n: number, reason?: string): string =>
      `${String(n + 1).padStart(3)}) ${i.sha1} "${i.commonName}"${reason ? ` (${reason})` : ""}\n`;
    const valid = judged.filter((j) => j.trust.valid).map((j) => j.i);
    const validList = `${valid.map((i, n) => line(i, n)).join("")}     ${valid.length} valid identities found\n`;
    if (has(parsed, "v")) return { code: 0, stdout: validList };
    const all = judged.map((j, n) => line(j.i, n, j.trust.valid ? undefined : j.trust.reason)).join("");
    return {
      code: 0,
      stdout: `\nPolicy: Code Signing\n  Matching identities\n${all}     ${identities.length} identities found\n\n  Valid identities only\n${validList}`,
    };
  },

  "find-certificate"(call) {
    const parsed = getopt(call.args, "hac:e:mpZ");
    const paths = parsed.operands.length > 0 ? parsed.operands : call.state.searchList;
    const name = value(parsed, "c");
    const matches = paths.flatMap((path) =>
      [...(call.state.keychains[path]?.certificates ?? []), ...(call.state.keychains[path]?.identities ?? [])]
        .filter((c) => name === undefined || c.commonName.includes(name))
        .map((c) => ({ path, c })),
    );
    if (matches.length === 0) return fail(`security: SecKeychainSearchCopyNext: ${ERR.itemNotFound}`, 44);
    const shown = has(parsed, "a") ? matches : matches.slice(0, 1);
    return {
      code: 0,
      stdout: shown
        .map(({ path, c }) =>
          has(parsed, "p")
            ? c.pem
            : `${has(parsed, "Z") ? `SHA-1 hash: ${c.sha1}\n` : ""}keychain: "${path}"\n    "labl"<blob>="${c.commonName}"\n`,
        )
        .join(""),
    };
  },
};

function readStdin(): Buffer {
  try {
    return readFileSync(0);
  } catch {
    return Buffer.alloc(0);
  }
}

export async function main(argv: string[]): Promise<void> {
  const logPath = process.env.FAKE_SECURITY_LOG;
  const statePath = process.env.FAKE_SECURITY_STATE;
  if (!logPath || !statePath) {
    process.stderr.write("fake security: set FAKE_SECURITY_LOG and FAKE_SECURITY_STATE\n");
    process.exit(2);
  }
  const macos = Number(process.env.FAKE_SECURITY_MACOS || DEFAULT_MACOS);
  if (!Number.isInteger(macos) || macos < 10) {
    process.stderr.write(
      `fake security: FAKE_SECURITY_MACOS must be a macOS major version, not ${process.env.FAKE_SECURITY_MACOS}\n`,
    );
    process.exit(2);
  }
  const stdin = readStdin();
  const state = loadState(statePath, process.env.HOME ?? "/tmp");
  const [subcommand = "", ...args] = argv;
  const violations: string[] = [];
  const stderr: string[] = [];
  const call: Call = {
    args,
    certificates: ["import", "add-certificates"].includes(subcommand)
      ? await import("./fake-certificates.ts")
      : ({} as Certificates),
    trust: subcommand === "find-identity" ? await import("./code-signing-trust.ts") : ({} as Trust),
    state,
    violations,
    macos,
    stderr,
    getpass: createGetpass(stdin, (text) => stderr.push(text), violations),
  };
  let outcome: Outcome;
  const failing = (process.env.FAKE_SECURITY_FAIL ?? "").split(",").filter(Boolean);
  const handler = handlers[subcommand];
  if (failing.includes(subcommand)) outcome = fail(`security: ${subcommand}: simulated failure`);
  else if (!handler)
    outcome = fail(
      `security: unknown command "${subcommand}" (the fake knows ${Object.keys(handlers).join(", ")})`,
      2,
    );
  else {
    try {
      outcome = handler(call);
    } catch (error) {
      outcome =
        error instanceof TerminalPromptError
          ? fail(error.message)
          : error instanceof UsageError
            ? fail(`security: ${error.message}`, 2)
            : fail(`fake security crashed: ${String(error)}`, 70);
    }
  }
  // Like the real tool, a subcommand that added items before failing (add-certificates) keeps them.
  if (outcome.code === 0 || subcommand === "add-certificates") saveState(statePath, state);
  const entry: FakeSecurityLogEntry = {
    argv,
    stdin: stdin.toString("latin1"),
    exit: outcome.code,
    ...(call.getpass.tty === undefined ? {} : { tty: call.getpass.tty }),
    violations,
  };
  appendFileSync(logPath, `${JSON.stringify(entry)}\n`);
  if (outcome.stdout) process.stdout.write(outcome.stdout);
  process.stderr.write(stderr.join("") + (outcome.stderr ?? ""));
  process.exitCode = outcome.code;
}
