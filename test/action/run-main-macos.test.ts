// The adapter on a simulated macOS runner with the stand-in `security`: install, keychain, outputs, post;
// every test runs twice, with the stand-in modelling macOS 14 and macOS 15 (their `security import`
// differs: see test/support/fake-security/fake-security.ts).
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "plist";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runMain } from "../../src/action/run-main.ts";
import { runPost } from "../../src/action/run-post.ts";
import { PARTITION_LIST, TRUSTED_TOOLS } from "../../src/core/install/keychain.ts";
import { xcodeProfileDirectories } from "../../src/core/install/paths.ts";
import { readPkcs12 } from "../../src/core/signing/pkcs12.ts";
import { testKeys } from "../support/keys.ts";
import { createSandbox, type Sandbox } from "./support/action-sandbox.ts";
import { type CannedIdentity, cannedIdentity } from "./support/canned-identity.ts";
import {
  cannedResult,
  MAIN_BUNDLE_ID,
  MAIN_UUID,
  profileContent,
  TEAM_ID,
  WIDGET_BUNDLE_ID,
  WIDGET_UUID,
} from "./support/canned-result.ts";
import { baseInputs, fakeEngine } from "./support/scenario.ts";

const SHARED_KEYCHAIN = "/Users/runner/Library/Keychains/team-shared.keychain-db";

let identity: CannedIdentity;
let sandbox: Sandbox;
let login: string;

beforeAll(async () => {
  identity = await cannedIdentity();
});

afterEach(() => sandbox.dispose());

async function main(inputs: Record<string, string> = {}): Promise<void> {
  sandbox.setInputs(baseInputs(inputs));
  await runMain({ provision: fakeEngine({ result: cannedResult(identity) }).provision });
}

async function post(): Promise<void> {
  sandbox.startPost();
  await runPost();
}

describe.each([14, 15])("on macOS %i", (macos) => {
  beforeEach(() => {
    sandbox = createSandbox({
      runnerOs: "macOS",
      macos,
      extraSearchList: [SHARED_KEYCHAIN],
      systemCertificates: [identity.rootDer, identity.caDer],
    });
    login = join(sandbox.home, "Library", "Keychains", "login.keychain-db");
  });

  describe("main", () => {
    it("installs both profiles as <UUID>.mobileprovision into both Xcode folders", async () => {
      await main();
      expect(sandbox.errors()).toEqual([]);
      for (const dir of xcodeProfileDirectories(sandbox.home)) {
        expect(readdirSync(dir).sort()).toEqual(
          [`${MAIN_UUID}.mobileprovision`, `${WIDGET_UUID}.mobileprovision`].sort(),
        );
        expect(readFileSync(join(dir, `${MAIN_UUID}.mobileprovision`))).toEqual(
          Buffer.from(profileContent(MAIN_UUID)),
        );
      }
    });

    it("sets every output from the main target", async () => {
      await main();
      const out = sandbox.outputs();
      const [xcode16] = xcodeProfileDirectories(sandbox.home);
      expect(out).toMatchObject({
        "team-id": TEAM_ID,
        "certificate-id": "CERT123",
        "certificate-serial": identity.serialNumber,
        "certificate-sha1": identity.sha1,
        "signing-identity": identity.commonName,
        "profile-uuid": MAIN_UUID,
        "profile-name": `${MAIN_BUNDLE_ID} IOS_APP_STORE`,
        "profile-path": join(xcode16!, `${MAIN_UUID}.mobileprovision`),
        "app-id": "1234567890",
        changed: "true",
        degraded: "false",
      });
      const profiles = JSON.parse(out.profiles!) as Array<Record<string, string>>;
      expect(profiles.map((p) => [p.bundleId, p.uuid, p.type, p.id])).toEqual([
        [MAIN_BUNDLE_ID, MAIN_UUID, "IOS_APP_STORE", "PROF1"],
        [WIDGET_BUNDLE_ID, WIDGET_UUID, "IOS_APP_STORE", "PROF2"],
      ]);
      expect(profiles[1]!.path).toBe(join(xcode16!, `${WIDGET_UUID}.mobileprovision`));
      expect(JSON.parse(out.plan!)).toHaveLength(2);
      expect(out["keychain-path"]).toMatch(/asc-provision-[0-9a-f]{12}\.keychain-db$/);
      expect(out["keychain-path"]!.startsWith(sandbox.runnerTemp)).toBe(true);
    });

    it("writes a .p12 of mode 0600 that opens with the p12-password output", async () => {
      await main();
      const { "p12-path": p12Path, "p12-password": password } = sandbox.outputs();
      expect(password).toMatch(/^[0-9a-f]{64}$/);
      expect(statSync(p12Path!).mode & 0o777).toBe(0o600);
      const read = readPkcs12(readFileSync(p12Path!).toString("base64"), password!, {
        readFile: () => undefined,
      });
      expect(Buffer.from(read.certificateDer!)).toEqual(Buffer.from(identity.leafDer));
      expect(read.privateKey.equals(testKeys().signingKey)).toBe(true);
    });

    it("writes an ExportOptions.plist for manual signing with the certificate and both profiles", async () => {
      await main();
      const plist = parse(readFileSync(sandbox.outputs()["export-options-path"]!, "utf8"));
      expect(plist).toEqual({
        method: "app-store-connect",
        teamID: TEAM_ID,
        signingStyle: "manual",
        signingCertificate: identity.sha1,
        provisioningProfiles: { [MAIN_BUNDLE_ID]: MAIN_UUID, [WIDGET_BUNDLE_ID]: WIDGET_UUID },
      });
    });

    it("builds the keychain with security in order, passwords on stdin, existing search list kept", async () => {
      await main();
      const keychain = sandbox.outputs()["keychain-path"]!;
      const { "p12-path": p12Path, "p12-password": p12Password } = sandbox.outputs();
      const log = sandbox.security.log();
      expect(log.map((c) => c.argv[0])).toEqual([
        "list-keychains",
        "create-keychain",
        "set-keychain-settings",
        "unlock-keychain",
        "import",
        "set-key-partition-list",
        "list-keychains",
        "find-identity",
      ]);
      const password = /^([0-9a-f]{64})\n\1\n$/.exec(log[1]!.stdin)?.[1];
      expect(password, "create-keychain reads the password twice from stdin").toBeDefined();
      expect(password).not.toBe(p12Password);
      expect(log[1]!.argv).toEqual(["create-keychain", keychain]);
      expect(log[2]!.argv).toEqual(["set-keychain-settings", "-lut", "21600", keychain]);
      expect(log[3]).toMatchObject({ argv: ["unlock-keychain", keychain], stdin: `${password}\n` });
      expect(log[4]!.argv).toEqual([
        "import",
        p12Path,
        "-k",
        keychain,
        "-f",
        "pkcs12",
        "-P",
        p12Password,
        ...TRUSTED_TOOLS.flatMap((t) => ["-T", t]),
      ]);
      expect(log[5]).toMatchObject({
        argv: ["set-key-partition-list", "-S", PARTITION_LIST, "-s", keychain],
        stdin: `${password}\n`,
      });
      expect(log[6]!.argv).toEqual(["list-keychains", "-d", "user", "-s", keychain, login, SHARED_KEYCHAIN]);
      for (const call of log) {
        expect(call.exit, call.argv[0]).toBe(0);
        expect(call.violations).toEqual([]);
        expect(call.argv).not.toContain(password);
      }
      // getpass ran in create-keychain, unlock-keychain and set-key-partition-list, found no terminal
      // (the Exec port starts security in a new session) and read standard input.
      expect(log.filter((c) => c.tty !== undefined).map((c) => [c.argv[0], c.tty])).toEqual([
        ["create-keychain", "ENXIO"],
        ["unlock-keychain", "ENXIO"],
        ["set-key-partition-list", "ENXIO"],
      ]);

      const state = sandbox.security.state();
      expect(state.searchList).toEqual([keychain, login, SHARED_KEYCHAIN]);
      expect(state.defaultKeychain).toBe(login);
      const ours = state.keychains[keychain]!;
      expect(ours.settings).toEqual({ lockOnSleep: true, lockAfterTimeout: true, timeoutSeconds: 21600 });
      expect(ours.identities.map((i) => [i.sha1, i.partitionList])).toEqual([
        [identity.sha1, PARTITION_LIST],
      ]);
      expect(sandbox.warnings()).toEqual([]);
    });

    it("makes the keychain the default one when keychain-default is true", async () => {
      await main({ "keychain-default": "true" });
      const keychain = sandbox.outputs()["keychain-path"]!;
      expect(sandbox.security.state().defaultKeychain).toBe(keychain);
      await post();
      expect(sandbox.security.state().defaultKeychain).toBe(login);
    });

    /** A runner that trusts the root but lacks the WWDR intermediate (as self-hosted ones may). */
    const withoutIntermediate = (): void =>
      writeFileSync(
        sandbox.security.statePath,
        JSON.stringify({
          ...sandbox.security.state(),
          systemCertificates: sandbox.security
            .state()
            .systemCertificates.filter((c) => c.subject === c.issuer),
        }),
      );

    it("adds wwdr-certificates to the keychain, which makes the identity valid", async () => {
      withoutIntermediate();
      await main({ "wwdr-certificates": identity.caPem });
      const keychain = sandbox.outputs()["keychain-path"]!;
      const add = sandbox.security.log().find((c) => c.argv[0] === "add-certificates");
      expect(add?.argv.slice(0, 3)).toEqual(["add-certificates", "-k", keychain]);
      expect(add?.exit).toBe(0);
      expect(sandbox.security.state().keychains[keychain]!.certificates.map((c) => c.ca)).toEqual([true]);
      expect(sandbox.security.log().at(-1)).toMatchObject({
        argv: ["find-identity", "-v", "-p", "codesigning", keychain],
      });
      expect(sandbox.warnings()).toEqual([]);
      expect(sandbox.errors()).toEqual([]);
    });

    it("does not fail when wwdr-certificates repeats a certificate (in PEM and in base64 DER)", async () => {
      withoutIntermediate();
      const der = Buffer.from(identity.caDer).toString("base64");
      await main({ "wwdr-certificates": `${identity.caPem}\n${identity.caPem}` });
      expect(sandbox.errors()).toEqual([]);
      const keychain = sandbox.outputs()["keychain-path"]!;
      const add = sandbox.security.log().find((c) => c.argv[0] === "add-certificates");
      expect(add?.argv).toHaveLength(4);
      expect(sandbox.security.state().keychains[keychain]!.certificates).toHaveLength(1);
      expect(sandbox.warnings()).toEqual([]);
      sandbox.dispose();
      sandbox = createSandbox({ runnerOs: "macOS", macos, systemCertificates: [identity.rootDer] });
      await main({ "wwdr-certificates": `${der}\n${der}` });
      expect(sandbox.errors()).toEqual([]);
      expect(sandbox.warnings()).toEqual([]);
    });

    it("warns, naming wwdr-certificates, when macOS cannot validate the identity", async () => {
      withoutIntermediate();
      await main();
      expect(sandbox.errors()).toEqual([]);
      expect(sandbox.warnings().join("\n")).toMatch(/`wwdr-certificates`/);
    });
  });

  describe("post", () => {
    it("restores the search list, deletes the keychain and removes every file main wrote", async () => {
      await main();
      const out = sandbox.outputs();
      await post();
      const state = sandbox.security.state();
      expect(state.searchList).toEqual([login, SHARED_KEYCHAIN]);
      expect(state.keychains[out["keychain-path"]!]).toBeUndefined();
      expect(existsSync(out["keychain-path"]!)).toBe(false);
      for (const path of [out["p12-path"]!, out["export-options-path"]!, out["profile-path"]!])
        expect(existsSync(path), path).toBe(false);
      // Main created the profile folders, so post removes them; RUNNER_TEMP is left empty.
      for (const dir of xcodeProfileDirectories(sandbox.home)) expect(existsSync(dir), dir).toBe(false);
      expect(readdirSync(sandbox.runnerTemp)).toEqual([]);
      expect(sandbox.warnings()).toEqual([]);
      expect(sandbox.errors()).toEqual([]);
      expect(process.exitCode ?? 0).toBe(0);
    });

    it("is safe to run twice: the second run finds nothing to do", async () => {
      await main();
      await post();
      const calls = sandbox.security.log().length;
      await post();
      const second = sandbox.security.log().slice(calls);
      expect(second.map((c) => c.argv)).toEqual([["list-keychains", "-d", "user"]]);
      expect(sandbox.rawLog()).toMatch(/nothing left to clean up/);
      expect(sandbox.warnings()).toEqual([]);
      expect(sandbox.security.state().searchList).toEqual([login, SHARED_KEYCHAIN]);
    });

    it("cleans up after a main that failed half-way through the keychain", async () => {
      sandbox.setEnv("FAKE_SECURITY_FAIL", "set-key-partition-list");
      await main();
      expect(sandbox.errors()).toHaveLength(1);
      expect(sandbox.errors()[0]).toMatch(
        /^asc-provision: keychain: `security set-key-partition-list` failed/,
      );
      const ours = (path: string): boolean => path.startsWith(sandbox.runnerTemp);
      expect(Object.keys(sandbox.security.state().keychains).filter(ours)).toHaveLength(1);
      sandbox.setEnv("FAKE_SECURITY_FAIL", "");
      await post();
      const state = sandbox.security.state();
      expect(Object.keys(state.keychains).filter(ours)).toEqual([]);
      expect(state.searchList).toEqual([login, SHARED_KEYCHAIN]);
      expect(readdirSync(sandbox.runnerTemp)).toEqual([]);
      for (const dir of xcodeProfileDirectories(sandbox.home)) expect(existsSync(dir)).toBe(false);
      expect(sandbox.warnings()).toEqual([]);
    });

    it("leaves a profile the user already had (same bytes) where it was", async () => {
      const [xcode16] = xcodeProfileDirectories(sandbox.home);
      mkdirSync(xcode16!, { recursive: true });
      const existing = join(xcode16!, `${MAIN_UUID}.mobileprovision`);
      writeFileSync(existing, profileContent(MAIN_UUID));
      await main();
      await post();
      expect(existsSync(existing)).toBe(true);
      expect(existsSync(join(xcode16!, `${WIDGET_UUID}.mobileprovision`))).toBe(false);
    });

    it("leaves everything in place when cleanup is false", async () => {
      await main({ cleanup: "false" });
      const out = sandbox.outputs();
      await post();
      expect(existsSync(out["p12-path"]!)).toBe(true);
      expect(sandbox.security.state().searchList[0]).toBe(out["keychain-path"]);
      expect(sandbox.rawLog()).toMatch(/cleanup is false/);
    });
  });
});
