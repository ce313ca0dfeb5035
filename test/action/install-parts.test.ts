// The runner-side pieces on their own: inputs about installing, WWDR certificates, paths, recorded files,
// `security` output parsing, the keychain install against the stand-in `security`, ExportOptions and
// cleanup.
import { createPrivateKey } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createProcessExec } from "../../src/action/exec.ts";
import type { ProfileType } from "../../src/core/asc/types.ts";
import { undoRecordedEntries } from "../../src/core/cleanup.ts";
import type { InputProblem } from "../../src/core/errors.ts";
import { exportOptionsFor } from "../../src/core/install/export-options.ts";
import { parseInstallOptions } from "../../src/core/install/install-options.ts";
import { alreadyPresent, installKeychain } from "../../src/core/install/keychain.ts";
import { profileDirectories } from "../../src/core/install/paths.ts";
import { ensureDirectory, writeRecordedFile } from "../../src/core/install/recorded-files.ts";
import {
  parseIdentities,
  parseKeychainList,
  sameKeychainPath,
} from "../../src/core/install/security-command.ts";
import { parseWwdrCertificates } from "../../src/core/install/wwdr-certificates.ts";
import type { CleanupEntry, Exec, Logger } from "../../src/core/ports.ts";
import { buildPkcs12 } from "../../src/core/signing/pkcs12-build.ts";
import { type FakeSecurity, setUpFakeSecurity } from "../support/fake-security/fake-security-harness.ts";
import { type CannedIdentity, cannedIdentity } from "./support/canned-identity.ts";
import { cannedResult } from "./support/canned-result.ts";

let identity: CannedIdentity;
let dir: string;

beforeAll(async () => {
  identity = await cannedIdentity();
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "install-parts-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const recorder = (): { entries: CleanupEntry[]; record: (e: CleanupEntry) => void } => {
  const entries: CleanupEntry[] = [];
  return { entries, record: (e) => entries.push(e) };
};

function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    debug: (m) => lines.push(`debug ${m}`),
    info: (m) => lines.push(`info ${m}`),
    warning: (m) => lines.push(`warning ${m}`),
    error: (m) => lines.push(`error ${m}`),
    group: (_n, fn) => fn(),
  };
}

describe("wwdr-certificates", () => {
  it("accepts PEM blocks, base64 DER lines and base64 of a PEM bundle", () => {
    const problems: InputProblem[] = [];
    const base64Der = Buffer.from(identity.caDer).toString("base64");
    const rootPem = `-----BEGIN CERTIFICATE-----\n${Buffer.from(identity.rootDer).toString("base64")}\n-----END CERTIFICATE-----`;
    expect(parseWwdrCertificates(`${identity.caPem}\n${rootPem}`, problems)).toEqual([
      identity.caDer,
      identity.rootDer,
    ]);
    expect(
      parseWwdrCertificates(`${base64Der}, ${Buffer.from(identity.rootDer).toString("base64")}`, problems),
    ).toHaveLength(2);
    expect(parseWwdrCertificates(Buffer.from(identity.caPem).toString("base64"), problems)).toHaveLength(1);
    expect(parseWwdrCertificates("", problems)).toEqual([]);
    expect(problems).toEqual([]);
  });

  it("keeps a certificate given twice once (security add-certificates would call the second 'already in')", () => {
    const problems: InputProblem[] = [];
    const base64Der = Buffer.from(identity.caDer).toString("base64");
    expect(parseWwdrCertificates(`${identity.caPem}\n${identity.caPem}`, problems)).toEqual([identity.caDer]);
    expect(parseWwdrCertificates(`${base64Der}\n${base64Der}`, problems)).toEqual([identity.caDer]);
    expect(problems).toEqual([]);
  });

  it("names garbage and a signing certificate given instead of a CA", () => {
    const problems: InputProblem[] = [];
    parseWwdrCertificates("bm90IGEgY2VydGlmaWNhdGU=", problems);
    parseWwdrCertificates(Buffer.from(identity.leafDer).toString("base64"), problems);
    expect(problems.map((p) => p.input)).toEqual(["wwdr-certificates", "wwdr-certificates"]);
    expect(problems[0]!.message).toMatch(/not an X\.509 certificate/);
    expect(problems[1]!.message).toMatch(/not a CA certificate/);
  });
});

describe("install options", () => {
  it("defaults to installing, keychain auto, cleanup", () => {
    const problems: InputProblem[] = [];
    expect(parseInstallOptions({}, problems)).toEqual({
      install: true,
      installDir: "",
      keychain: "auto",
      keychainDefault: false,
      wwdrCertificates: [],
      exportOptions: true,
      cache: false,
      cleanup: true,
    });
    expect(problems).toEqual([]);
  });

  it("reads true/false/auto for keychain and reports each bad value by input", () => {
    const problems: InputProblem[] = [];
    expect(parseInstallOptions({ keychain: "FALSE" }, problems).keychain).toBe(false);
    expect(parseInstallOptions({ keychain: "Auto" }, problems).keychain).toBe("auto");
    expect(problems).toEqual([]);
    parseInstallOptions({ keychain: "sometimes", cleanup: "maybe", "install-dir": "rel" }, problems);
    expect(problems.map((p) => p.input).sort()).toEqual(["cleanup", "install-dir", "keychain"]);
    expect(problems.find((p) => p.input === "keychain")!.message).toMatch(/true, false or auto/);
  });
});

describe("paths", () => {
  const base = { home: "/Users/runner", runnerTemp: "/tmp/rt", installDir: "" };
  it("uses both Xcode folders on macOS, plus install-dir when set", () => {
    expect(profileDirectories({ ...base, runnerOs: "macOS" })).toEqual([
      "/Users/runner/Library/Developer/Xcode/UserData/Provisioning Profiles",
      "/Users/runner/Library/MobileDevice/Provisioning Profiles",
    ]);
    expect(profileDirectories({ ...base, runnerOs: "macOS", installDir: "/x" })).toHaveLength(3);
  });
  it("uses install-dir or RUNNER_TEMP/asc-provision/profiles elsewhere", () => {
    expect(profileDirectories({ ...base, runnerOs: "Linux" })).toEqual(["/tmp/rt/asc-provision/profiles"]);
    expect(profileDirectories({ ...base, runnerOs: "Windows", installDir: "/p" })).toEqual(["/p"]);
  });
});

describe("recorded files", () => {
  it("records each directory level it creates, then the file; an identical file is left unrecorded", () => {
    const r = recorder();
    const path = join(dir, "a", "b", "file");
    expect(writeRecordedFile(path, "x", r)).toBe("written");
    expect(r.entries).toEqual([
      { kind: "directory", path: join(dir, "a") },
      { kind: "directory", path: join(dir, "a", "b") },
      { kind: "file", path },
    ]);
    const again = recorder();
    expect(writeRecordedFile(path, "x", again)).toBe("unchanged");
    expect(again.entries).toEqual([]);
    ensureDirectory(join(dir, "a"), again);
    expect(again.entries).toEqual([]);
  });
});

describe("security output", () => {
  it("reads keychain lists and identities", () => {
    expect(
      parseKeychainList(
        '    "/Users/r/Library/Keychains/login.keychain-db"\n    "/Library/Keychains/System.keychain"\n',
      ),
    ).toEqual(["/Users/r/Library/Keychains/login.keychain-db", "/Library/Keychains/System.keychain"]);
    const sha1 = "0123456789ABCDEF0123456789ABCDEF01234567";
    expect(
      parseIdentities(
        `  1) ${sha1.toLowerCase()} "Apple Distribution: X (T)"\n     1 valid identities found\n`,
      ),
    ).toEqual([{ sha1, name: "Apple Distribution: X (T)" }]);
    expect(sameKeychainPath("/private/var/folders/x.keychain-db", "/var/folders/x.keychain-db")).toBe(true);
    expect(sameKeychainPath("/a.keychain-db", "/b.keychain-db")).toBe(false);
  });
});

describe("installKeychain against the stand-in security", () => {
  async function install(
    certificatePaths: string[],
    exec: Exec = createProcessExec({ timeoutMs: 30_000 }),
  ): Promise<{ logger: ReturnType<typeof memoryLogger>; fake: FakeSecurity; keychain: string }> {
    const fake = setUpFakeSecurity(dir, dir, { systemCertificates: [identity.rootDer] });
    for (const [name, value] of Object.entries({ ...fake.env, HOME: dir })) vi.stubEnv(name, value);
    const p12Path = join(dir, "signing.p12");
    writeFileSync(
      p12Path,
      buildPkcs12({
        privateKey: createPrivateKey(identity.keyPem),
        certificateDer: identity.leafDer,
        password: "p12-password",
        friendlyName: "test",
      }),
    );
    const logger = memoryLogger();
    const keychain = join(dir, "asc-provision-test.keychain-db");
    await installKeychain(exec, recorder(), logger, {
      path: keychain,
      password: "a".repeat(64),
      p12Path,
      p12Password: "p12-password",
      makeDefault: false,
      certificatePaths,
      identitySha1: identity.sha1,
    });
    return { logger, fake, keychain };
  }
  afterEach(() => vi.unstubAllEnvs());

  it("carries on when add-certificates says a certificate is already in the keychain", async () => {
    const ca = join(dir, "wwdr-1.cer");
    const again = join(dir, "wwdr-2.cer");
    writeFileSync(ca, identity.caDer);
    writeFileSync(again, identity.caDer);
    const { logger, fake, keychain } = await install([ca, again]);
    const add = fake.log().find((c) => c.argv[0] === "add-certificates");
    expect(add).toMatchObject({ exit: 1 });
    expect(logger.lines).toContain("info keychain: added 1 WWDR certificate(s), 1 already there");
    expect(logger.lines.some((l) => l.startsWith("warning"))).toBe(false);
    expect(fake.state().keychains[keychain]!.certificates).toHaveLength(1);
  });

  it("still fails on any other add-certificates error", async () => {
    await expect(install([join(dir, "missing.cer")])).rejects.toThrow(
      /security add-certificates` failed to add the WWDR certificates \(exit 1\)/,
    );
  });

  it("reads only 'already in' lines as harmless", () => {
    expect(alreadyPresent("security: /t/a.cer: already in /t/k.keychain-db\n")).toBe(1);
    expect(
      alreadyPresent("security: /t/a.cer: already in /t/k\n***Error reading file /t/b.cer\n"),
    ).toBeUndefined();
    expect(alreadyPresent("")).toBeUndefined();
    expect(
      alreadyPresent("security: /t/a.cer: already in /t/k\n", "***Error reading file /t/b.cer\n"),
    ).toBeUndefined();
  });
});

describe("ExportOptions", () => {
  it("takes the method from the profile type", () => {
    const certificate = cannedResult(identity).certificate!;
    const method = (profileType: ProfileType): string =>
      exportOptionsFor("T", certificate, cannedResult(identity, { profileType }).profiles).method;
    expect(method("IOS_APP_DEVELOPMENT")).toBe("debugging");
    expect(method("IOS_APP_ADHOC")).toBe("release-testing");
    expect(method("MAC_APP_DIRECT")).toBe("developer-id");
    expect(method("IOS_APP_INHOUSE")).toBe("enterprise");
  });
});

describe("cleanup", () => {
  it("undoes newest first, skips what is gone, leaves a folder someone else filled", async () => {
    const logger = memoryLogger();
    const kept = join(dir, "kept");
    const gone = join(dir, "gone");
    mkdirSync(kept);
    writeFileSync(join(kept, "user-file"), "");
    const ours = join(kept, "ours");
    writeFileSync(ours, "");
    const entries: CleanupEntry[] = [
      { kind: "directory", path: kept },
      { kind: "file", path: ours },
      { kind: "file", path: gone },
    ];
    const exec: Exec = { run: () => Promise.reject(new Error("no exec expected")) };
    const report = await undoRecordedEntries(entries, { exec, logger });
    expect(report).toEqual({ undone: 1, warnings: [] });
    expect(existsSync(ours)).toBe(false);
    expect(existsSync(kept)).toBe(true);
  });

  it("turns a failing keychain removal into warnings", async () => {
    const logger = memoryLogger();
    const keychain = join(dir, "k.keychain-db");
    writeFileSync(keychain, "");
    const exec: Exec = {
      run: async (_cmd, args) =>
        args[0] === "list-keychains" && args.includes("-s")
          ? { code: 1, stdout: "", stderr: "denied" }
          : args[0] === "list-keychains"
            ? { code: 0, stdout: `    "${keychain}"\n`, stderr: "" }
            : { code: 50, stdout: "", stderr: "could not be found" },
    };
    const report = await undoRecordedEntries([{ kind: "keychain", path: keychain, previousSearchList: [] }], {
      exec,
      logger,
    });
    expect(report.warnings).toHaveLength(2);
    expect(report.warnings[0]).toMatch(/restore the search list: .*denied/);
    expect(report.warnings[1]).toMatch(/delete the keychain: .*exit 50/);
  });
});
