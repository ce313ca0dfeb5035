// A stand-in for macOS `security`, run as the executable `security` (see ./security) by tests on any OS.
// It records every call (argv, stdin, exit code, violations) as a JSON line in $FAKE_SECURITY_LOG, keeps
// a keychain registry in $FAKE_SECURITY_STATE, behaves like the real tool for the subcommands the action
// uses (options parsed with BSD getopt, passwords read through a getpass emulation from stdin when no
// -p/-k is given, PKCS#12 decrypted with the given password, legacy-format check, unlock required), and
// flags misuse: a password on argv where `security` would read it from stdin is a violation.
// $FAKE_SECURITY_FAIL (comma-separated subcommands) makes those subcommands fail, to simulate a main
// that stops half-way.
import { appendFileSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import {
  emptyKeychain,
  type FakeCertificate,
  type FakeKeychain,
  type FakeSecurityState,
  loadState,
  saveState,
} from "./fake-keychain-state.ts";
import { getopt, has, type ParsedOptions, UsageError, value, values } from "./getopt.ts";

export interface FakeSecurityLogEntry {
  argv: string[];
  stdin: string;
  exit: number;
  violations: string[];
}

interface Outcome {
  code: number;
  stdout?: string;
  stderr?: string;
}

/** node-forge is loaded only by the subcommands that read certificates (every call is a new process). */
type Certificates = typeof import("./fake-certificates.ts");

interface Call {
  args: string[];
  certificates: Certificates;
  state: FakeSecurityState;
  violations: string[];
  /** getpass(3) emulation: each call consumes one line of stdin ("" at end of input), 128 chars max. */
  getpass: (prompt: string) => string;
}

const PASSWORD_LEN = 128;
const quoted = (paths: string[]): string => paths.map((p) => `    "${p}"\n`).join("");
const fail = (stderr: string, code = 1): Outcome => ({ code, stderr: `${stderr}\n` });
const notFound = (path: string): Outcome =>
  fail(`security: SecKeychainOpen ${path}: The specified keychain could not be found.`, 50);

function keychainFor(
  call: Call,
  parsed: ParsedOptions,
  fromOperand = true,
): [string, FakeKeychain] | Outcome {
  const path = fromOperand ? parsed.operands[0] : value(parsed, "k");
  if (!path)
    return fail("security: a keychain path is required here (the fake does not use the default keychain)");
  const keychain = call.state.keychains[path];
  return keychain ? [path, keychain] : notFound(path);
}

const handlers: Record<string, (call: Call) => Outcome> = {
  "create-keychain"(call) {
    const parsed = getopt(call.args, "hp:P");
    const path = parsed.operands[0];
    if (!path || parsed.operands.length !== 1)
      return fail("usage: create-keychain [-P] [-p password] keychain", 2);
    let password = value(parsed, "p");
    if (password !== undefined)
      call.violations.push("create-keychain: password on argv (-p); omit -p and send it on stdin");
    else if (has(parsed, "P"))
      return fail("security: -P needs the SecurityAgent GUI: not available on a runner");
    else {
      const first = call.getpass("password for new keychain: ");
      const second = call.getpass("retype password for new keychain: ");
      if (first !== second) return fail("passwords don't match");
      password = first;
    }
    if (call.state.keychains[path] || existsSync(path))
      return fail(`security: SecKeychainCreate ${path}: A keychain with the same name already exists.`, 48);
    writeFileSync(path, "fake keychain database\n");
    call.state.keychains[path] = emptyKeychain(password);
    return { code: 0 };
  },

  "delete-keychain"(call) {
    const parsed = getopt(call.args, "h");
    if (parsed.operands.length === 0) return fail("usage: delete-keychain keychain...", 2);
    for (const path of parsed.operands) {
      if (!call.state.keychains[path]) return notFound(path);
      delete call.state.keychains[path];
      call.state.searchList = call.state.searchList.filter((p) => p !== path);
      rmSync(path, { force: true });
    }
    return { code: 0 };
  },

  "list-keychains"(call) {
    const parsed = getopt(call.args, "hd:s");
    const domain = value(parsed, "d") ?? "user";
    if (domain !== "user") return fail("the fake knows the user domain only");
    if (!has(parsed, "s")) return { code: 0, stdout: quoted(call.state.searchList) };
    for (const path of parsed.operands)
      if (!call.state.keychains[path] && !existsSync(path)) return notFound(path);
    call.state.searchList = [...parsed.operands];
    return { code: 0 };
  },

  "default-keychain"(call) {
    const parsed = getopt(call.args, "hd:s");
    if (!has(parsed, "s")) return { code: 0, stdout: quoted([call.state.defaultKeychain]) };
    const path = parsed.operands[0];
    if (!path || parsed.operands.length !== 1)
      return fail("usage: default-keychain [-d domain] [-s keychain]", 2);
    if (!call.state.keychains[path]) return notFound(path);
    call.state.defaultKeychain = path;
    return { code: 0 };
  },

  "unlock-keychain"(call) {
    const parsed = getopt(call.args, "hp:u");
    const found = keychainFor(call, parsed);
    if (!Array.isArray(found)) return found;
    let password = value(parsed, "p");
    if (password !== undefined)
      call.violations.push("unlock-keychain: password on argv (-p); omit -p and send it on stdin");
    else password = call.getpass(`password to unlock ${found[0]}: `);
    if (password !== found[1].password)
      return fail(
        `security: SecKeychainUnlock ${found[0]}: The user name or passphrase you entered is not correct.`,
        51,
      );
    found[1].locked = false;
    return { code: 0 };
  },

  "set-keychain-settings"(call) {
    const parsed = getopt(call.args, "hlut:");
    const found = keychainFor(call, parsed);
    if (!Array.isArray(found)) return found;
    const timeout = value(parsed, "t");
    if (timeout !== undefined && !/^\d+$/.test(timeout))
      return fail("security: timeout must be a number of seconds", 2);
    found[1].settings = {
      lockOnSleep: has(parsed, "l"),
      lockAfterTimeout: has(parsed, "u"),
      timeoutSeconds: timeout === undefined ? undefined : Number(timeout),
    };
    return { code: 0 };
  },

  import(call) {
    // `security import inputfile [options]`: the file comes first, options after it.
    const [file, ...rest] = call.args;
    if (!file || file.startsWith("-")) return fail("usage: import inputfile [-k keychain] ...", 2);
    const parsed = getopt(rest, "k:t:f:P:wxa:hAjT:");
    if (parsed.operands.length > 0) return fail(`security: unexpected argument ${parsed.operands[0]}`, 2);
    const found = keychainFor(call, parsed, false);
    if (!Array.isArray(found)) return found;
    const [, keychain] = found;
    if (!existsSync(file)) return fail(`security: ${file}: No such file or directory`);
    if (keychain.locked) return fail("security: SecKeychainItemImport: User interaction is not allowed.");
    if (value(parsed, "f") !== "pkcs12") return fail("the fake imports PKCS#12 only (-f pkcs12)");
    const passphrase = value(parsed, "P");
    if (passphrase === undefined)
      return fail(
        "security: SecKeychainItemImport: User interaction is not allowed. (no -P: the passphrase GUI prompt cannot show on a runner)",
      );
    try {
      const identity = call.certificates.readPkcs12Identity(readFileSync(file), passphrase);
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
    const parsed = getopt(call.args, "a:c:dD:l:r:sk:S:t:");
    const found = keychainFor(call, parsed);
    if (!Array.isArray(found)) return found;
    const partitions = value(parsed, "S");
    if (!partitions) return fail("usage: set-key-partition-list -S partition-list [-k password] keychain", 2);
    let password = value(parsed, "k");
    if (password !== undefined)
      call.violations.push("set-key-partition-list: password on argv (-k); omit -k and send it on stdin");
    else password = call.getpass(`password to unlock ${found[0]}: `);
    if (password !== found[1].password)
      return fail(
        "security: SecKeychainItemSetAccessWithPassword: The user name or passphrase you entered is not correct.",
        51,
      );
    for (const identity of found[1].identities) identity.partitionList = partitions;
    return {
      code: 0,
      stdout: found[1].identities
        .map((i) => `keychain: "${found[0]}"\n    "labl"<blob>="${i.commonName}"\n`)
        .join(""),
    };
  },

  "add-certificates"(call) {
    const parsed = getopt(call.args, "hk:");
    const found = keychainFor(call, parsed, false);
    if (!Array.isArray(found)) return found;
    if (parsed.operands.length === 0) return fail("usage: add-certificates [-k keychain] file...", 2);
    for (const file of parsed.operands) {
      if (!existsSync(file)) return fail(`security: ${file}: No such file or directory`);
      for (const certificate of call.certificates.readCertificateFile(readFileSync(file))) {
        if (found[1].certificates.some((c) => c.sha1 === certificate.sha1))
          return fail(
            "security: SecCertificateAddToKeychain: The specified item already exists in the keychain.",
          );
        found[1].certificates.push(certificate);
      }
    }
    return { code: 0 };
  },

  "find-identity"(call) {
    const parsed = getopt(call.args, "hp:s:v");
    const paths = parsed.operands.length > 0 ? parsed.operands : call.state.searchList;
    for (const path of paths) if (!call.state.keychains[path]) return notFound(path);
    const identities = paths.flatMap((p) => call.state.keychains[p]?.identities ?? []);
    const valid = identities.filter((i) => chainsToKnownIssuer(call.state, i, paths));
    const list = (items: FakeCertificate[]): string =>
      items.map((i, n) => `  ${n + 1}) ${i.sha1} "${i.commonName}"\n`).join("");
    if (has(parsed, "v"))
      return { code: 0, stdout: `${list(valid)}     ${valid.length} valid identities found\n` };
    return {
      code: 0,
      stdout: `\nPolicy: Code Signing\n  Matching identities\n${list(identities)}     ${identities.length} identities found\n\n  Valid identities only\n${list(valid)}     ${valid.length} valid identities found\n`,
    };
  },

  "find-certificate"(call) {
    const parsed = getopt(call.args, "hac:e:mpZ");
    const paths = parsed.operands.length > 0 ? parsed.operands : call.state.searchList;
    for (const path of paths) if (!call.state.keychains[path]) return notFound(path);
    const name = value(parsed, "c");
    const matches = paths.flatMap((path) =>
      [...(call.state.keychains[path]?.certificates ?? []), ...(call.state.keychains[path]?.identities ?? [])]
        .filter((c) => name === undefined || c.commonName.includes(name))
        .map((c) => ({ path, c })),
    );
    if (matches.length === 0)
      return fail(
        "security: SecKeychainSearchCopyNext: The specified item could not be found in the keychain.",
        44,
      );
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

/** Valid when the issuer is a CA certificate in a searched keychain or the system keychains. */
function chainsToKnownIssuer(state: FakeSecurityState, identity: FakeCertificate, paths: string[]): boolean {
  const searched = new Set([...paths, ...state.searchList]);
  const known = [
    ...state.systemCertificates,
    ...[...searched].flatMap((p) => state.keychains[p]?.certificates ?? []),
  ];
  return known.some((c) => c.ca && c.subject === identity.issuer);
}

function readStdin(): string {
  try {
    return readFileSync(0, "utf8");
  } catch {
    return "";
  }
}

export async function main(argv: string[]): Promise<void> {
  const logPath = process.env.FAKE_SECURITY_LOG;
  const statePath = process.env.FAKE_SECURITY_STATE;
  if (!logPath || !statePath) {
    process.stderr.write("fake security: set FAKE_SECURITY_LOG and FAKE_SECURITY_STATE\n");
    process.exit(2);
  }
  const stdin = readStdin();
  const lines = stdin.split("\n");
  let next = 0;
  const state = loadState(statePath, process.env.HOME ?? "/tmp");
  const [subcommand = "", ...args] = argv;
  const certificates = ["import", "add-certificates"].includes(subcommand)
    ? await import("./fake-certificates.ts")
    : ({} as Certificates);
  const call: Call = {
    args,
    certificates,
    state,
    violations: [],
    getpass: (prompt) => {
      process.stderr.write(prompt);
      const line = next < lines.length ? (lines[next++] ?? "") : "";
      return line.replace(/\r$/, "").slice(0, PASSWORD_LEN);
    },
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
        error instanceof UsageError
          ? fail(`security: ${error.message}`, 2)
          : fail(`fake security crashed: ${String(error)}`, 70);
    }
  }
  if (outcome.code === 0) saveState(statePath, state);
  const entry: FakeSecurityLogEntry = { argv, stdin, exit: outcome.code, violations: call.violations };
  appendFileSync(logPath, `${JSON.stringify(entry)}\n`);
  if (outcome.stdout) process.stdout.write(outcome.stdout);
  if (outcome.stderr) process.stderr.write(outcome.stderr);
  process.exitCode = outcome.code;
}
