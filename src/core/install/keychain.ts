// A temporary keychain holding the signing identity, through macOS `security` (via the Exec port).
//
// How each password reaches `security` (passwords never go on argv where `security` can take them
// another way; argv is visible to every user of the machine through `ps`):
// - create-keychain, unlock-keychain and set-key-partition-list: without `-p`/`-k` they call getpass(3)
//   (create-keychain twice: "password for new keychain", "retype password ..."). getpass reads /dev/tty
//   and, when the process has no controlling terminal, standard input. The Exec port starts `security`
//   in a new session (setsid: no controlling terminal) with the password on stdin, so the password never
//   appears on argv and no call can hang on a terminal prompt. getpass keeps 128 characters at most and
//   ends a password at '\n' or '\r' (never send CRLF): our passwords are 64 hex characters, one per line.
// - import: without `-P <passphrase>`, macOS 14 and older ask through the SecurityAgent GUI (a hang on a
//   headless runner); only macOS 15+ fall back to getpass. So this one password is on argv: it is a random
//   throwaway generated for this run (not a user secret), masked, protecting a file of mode 0600 that the
//   post step deletes; it is also the `p12-password` output.
import type { CleanupEntry, Exec, Logger, StateRecorder } from "../ports.ts";
import {
  execSecurity,
  parseIdentities,
  parseKeychainList,
  runSecurity,
  sameKeychainPath,
  securityFailure,
} from "./security-command.ts";

/** Tools that may use the key without a prompt (ACL), and the partitions that let them (macOS 10.12+). */
export const TRUSTED_TOOLS = ["/usr/bin/codesign", "/usr/bin/security", "/usr/bin/productbuild"];
export const PARTITION_LIST = "apple-tool:,apple:,codesign:";
/** Lock after six hours idle (-t), on sleep (-l), after the timeout (-u): long enough for any job. */
export const LOCK_TIMEOUT_SECONDS = 21600;

export interface KeychainRequest {
  /** Absolute path of a keychain that does not exist yet, `asc-provision-<random>.keychain-db`. */
  path: string;
  /** Random, already masked. */
  password: string;
  p12Path: string;
  /** Random, already masked. */
  p12Password: string;
  /** Also make it the user's default keychain (recorded and restored by post). */
  makeDefault: boolean;
  /** DER files of WWDR intermediates to add (the `wwdr-certificates` input). */
  certificatePaths: string[];
  /** SHA-1 of the certificate imported, to check that macOS sees a valid code signing identity. */
  identitySha1: string;
}

export interface KeychainResult {
  path: string;
  /** Whether `find-identity -v -p codesigning` lists our identity as valid. */
  identityValid: boolean;
}

export async function installKeychain(
  exec: Exec,
  recorder: StateRecorder,
  logger: Logger,
  request: KeychainRequest,
): Promise<KeychainResult> {
  const previousSearchList = await createRecordedKeychain(exec, recorder, logger, request);
  await importIdentity(exec, logger, request);
  await addToSearchList(exec, logger, request, previousSearchList);
  const identityValid = await checkIdentity(exec, logger, request);
  return { path: request.path, identityValid };
}

/** Creates the keychain and records it (with the search list and default keychain to restore). */
async function createRecordedKeychain(
  exec: Exec,
  recorder: StateRecorder,
  logger: Logger,
  request: KeychainRequest,
): Promise<string[]> {
  const { path, password } = request;
  const previousSearchList = parseKeychainList(
    await runSecurity(exec, { args: ["list-keychains", "-d", "user"], purpose: "read the search list" }),
  );
  const previousDefault = request.makeDefault
    ? parseKeychainList(
        await runSecurity(exec, {
          args: ["default-keychain", "-d", "user"],
          purpose: "read the default keychain",
        }),
      )[0]
    : undefined;

  // Password twice on stdin (getpass: "password for new keychain", "retype ...").
  await runSecurity(exec, {
    args: ["create-keychain", path],
    input: `${password}\n${password}\n`,
    purpose: "create the keychain",
  });
  const entry: CleanupEntry = { kind: "keychain", path, previousSearchList: previousSearchList };
  if (previousDefault !== undefined) entry.previousDefault = previousDefault;
  recorder.record(entry);
  logger.info(`keychain: created ${path}`);

  return previousSearchList;
}

/** Unlocked, with the identity (and WWDR certificates) imported and usable by codesign without a prompt. */
async function importIdentity(exec: Exec, logger: Logger, request: KeychainRequest): Promise<void> {
  const { path, password } = request;
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
    // add-certificates tries every file; one the keychain already holds (the .p12 may carry it, or the
    // input repeats it) prints "<file>: already in <keychain>" and makes the exit status 1 while the
    // others are added: that outcome is a success here.
    const call = {
      args: ["add-certificates", "-k", path, ...request.certificatePaths],
      purpose: "add the WWDR certificates",
    };
    const result = await execSecurity(exec, call);
    const present = alreadyPresent(result.stderr, result.stdout);
    if (result.code !== 0 && present === undefined) throw securityFailure(call, result);
    const count = request.certificatePaths.length;
    logger.info(
      `keychain: added ${count - (present ?? 0)} WWDR certificate(s)${present ? `, ${present} already there` : ""}`,
    );
  }
  // Password on stdin (getpass: "password to unlock <path>"); without the partition list codesign prompts
  // and the job hangs.
  await runSecurity(exec, {
    args: ["set-key-partition-list", "-S", PARTITION_LIST, "-s", path],
    input: `${password}\n`,
    purpose: "allow codesign to use the key without a prompt",
  });
}

/** First in the user search list, the entries already there kept; the default keychain when asked. */
async function addToSearchList(
  exec: Exec,
  logger: Logger,
  request: KeychainRequest,
  previousSearchList: string[],
): Promise<void> {
  const { path } = request;
  const searchList = [path, ...previousSearchList.filter((listed) => !sameKeychainPath(listed, path))];
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
}

/** Whether macOS lists the identity as a valid code signing identity (a warning names the fix if not). */
async function checkIdentity(exec: Exec, logger: Logger, request: KeychainRequest): Promise<boolean> {
  const { path } = request;
  const identities = parseIdentities(
    await runSecurity(exec, {
      args: ["find-identity", "-v", "-p", "codesigning", path],
      purpose: "list its code signing identities",
    }),
  );
  const identityValid = identities.some((identity) => identity.sha1 === request.identitySha1.toUpperCase());
  if (identityValid) logger.info(`keychain: code signing identity ${request.identitySha1} is valid`);
  else
    logger.warning(
      `keychain: the identity ${request.identitySha1} was imported into ${path}, but macOS does not list it as a valid code signing identity. Usually Apple's WWDR intermediate certificate is missing from this runner: pass it with \`wwdr-certificates\` (https://www.apple.com/certificateauthority/).`,
    );
  return identityValid;
}

/** How many "already in" lines `security add-certificates` printed, when those are its only complaints
 * (a file it cannot read is reported on standard output: "***Error reading file"). */
export function alreadyPresent(stderr: string, stdout = ""): number | undefined {
  if (stdout.trim() !== "") return undefined;
  const lines = stderr.split(/\r?\n/).filter((line) => line.trim() !== "");
  if (lines.length === 0 || !lines.every((line) => / already in (\S.*)$/.test(line))) return undefined;
  return lines.length;
}

/** Undoes a recorded keychain: search list and default keychain restored, keychain deleted. Returns the
 * problems met (the caller warns; post never fails). Safe to run twice. */
export async function removeKeychain(
  exec: Exec,
  entry: Extract<CleanupEntry, { kind: "keychain" }>,
  exists: (path: string) => boolean,
  logger: Logger,
): Promise<string[]> {
  const problems: string[] = [];
  const attempt = async (what: string, fn: () => Promise<void>): Promise<void> => {
    try {
      await fn();
    } catch (error) {
      problems.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const ours = (path: string): boolean => sameKeychainPath(path, entry.path);

  await attempt("restore the search list", async () => {
    let current: string[];
    try {
      current = parseKeychainList(
        await runSecurity(exec, { args: ["list-keychains", "-d", "user"], purpose: "read the search list" }),
      );
    } catch {
      current = entry.previousSearchList;
    }
    // Drop ours, keep what others added since, put back what was there before us.
    const restored = current.filter((listed) => !ours(listed));
    for (const previous of entry.previousSearchList)
      if (!ours(previous) && !restored.some((kept) => sameKeychainPath(kept, previous)))
        restored.push(previous);
    const unchanged =
      restored.length === current.length && restored.every((listed, index) => listed === current[index]);
    if (unchanged) return;
    await runSecurity(exec, {
      args: ["list-keychains", "-d", "user", "-s", ...restored],
      purpose: "restore the search list",
    });
    logger.info("keychain: restored the user search list");
  });

  if (entry.previousDefault !== undefined) {
    const previousDefault = entry.previousDefault;
    await attempt("restore the default keychain", async () => {
      const current = parseKeychainList(
        await runSecurity(exec, {
          args: ["default-keychain", "-d", "user"],
          purpose: "read the default keychain",
        }),
      )[0];
      if (current !== undefined && !ours(current)) return;
      await runSecurity(exec, {
        args: ["default-keychain", "-d", "user", "-s", previousDefault],
        purpose: "restore the default keychain",
      });
      logger.info(`keychain: restored the default keychain ${previousDefault}`);
    });
  }

  if (exists(entry.path))
    await attempt("delete the keychain", async () => {
      await runSecurity(exec, { args: ["delete-keychain", entry.path], purpose: "delete the keychain" });
      logger.info(`keychain: deleted ${entry.path}`);
    });
  return problems;
}
