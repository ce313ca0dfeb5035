// The built dist/ for each of Apple's 14 profile types (issue 12, done-when): on an empty account, a cold
// run then a warm run of dist/main as GitHub runs it, against the fake over HTTPS. The two in-house types
// go to the Enterprise Program host: api-base-url is Apple's enterprise host, reached through HTTPS_PROXY
// (a CONNECT proxy that leads it to an enterprise-mode fake), so the action picks the enterprise audience
// and document by itself. Each cold run exits 0 and installs a profile Apple would accept (signed by the
// fake Apple CA, right type, bundle ID, team, our certificate, devices where they belong); each warm run
// writes nothing, reads in one wave, and leaves 1 bundle ID, 1 certificate and 1 profile on the account.
import { generateKeyPairSync } from "node:crypto";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { extname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENTERPRISE_API_BASE_URL } from "../../src/core/asc/token.ts";
import { PROFILE_TYPES, type ProfileType } from "../../src/core/asc/types.ts";
import { profileTypeRule } from "../../src/core/profile-types.ts";
import { readProvisioningProfile } from "../../src/core/signing/provisioning-profile.ts";
import { type FakeAsc, startFakeAsc } from "../support/fake-asc/index.ts";
import { type ConnectProxy, startConnectProxy } from "../support/loopback-relays.ts";
import { specValidatorFor } from "../support/openapi-validator.ts";
import { createRunnerEnvironment, projectRoot, runStep } from "../support/runner-sim.ts";
import { hasShared } from "../support/shared-dir.ts";

const ENTERPRISE_HOST = new URL(ENTERPRISE_API_BASE_URL).hostname;
const DEVICES = [
  { name: "iPhone", udid: "00008030-0000000000000001", platform: "IOS", deviceClass: "IPHONE" },
  { name: "Apple TV", udid: "00008030-0000000000000002", platform: "IOS", deviceClass: "APPLE_TV" },
  { name: "Mac", udid: "00008030-0000000000000003", platform: "MAC_OS", deviceClass: "MAC" },
] as const;

const signingKeyPem = generateKeyPairSync("rsa", { modulusLength: 2048 })
  .privateKey.export({ type: "pkcs8", format: "pem" })
  .toString();

interface Account {
  fake: FakeAsc;
  caFile: string;
  proxy: ConnectProxy | undefined;
  root: string;
}

const accounts = new Map<ProfileType, Account>();
const timings: string[] = [];
let started = 0;

/** A fresh, empty account per profile type (devices registered), in-house ones on the enterprise host. */
async function openAccount(type: ProfileType): Promise<Account> {
  const enterprise = profileTypeRule(type).enterpriseOnly;
  const fake = await startFakeAsc({
    tls: true,
    enterprise,
    ...(enterprise ? { tlsHostnames: [ENTERPRISE_HOST] } : {}),
    ...(hasShared ? { validator: specValidatorFor(enterprise) } : {}),
  });
  for (const d of DEVICES) fake.state.addDevice({ ...d });
  const port = new URL(fake.url).port;
  const proxy = enterprise
    ? await startConnectProxy((target) =>
        target === `${ENTERPRISE_HOST}:443` ? `127.0.0.1:${port}` : target,
      )
    : undefined;
  const root = createRunnerEnvironment().root;
  const caFile = join(root, "ca.pem");
  writeFileSync(caFile, fake.caCertPem ?? "");
  return { fake, caFile, proxy, root };
}

beforeAll(() => {
  if (!existsSync(join(projectRoot, "dist", "main", "index.js")))
    throw new Error("dist/ is missing: npm run build");
  started = performance.now();
});

afterAll(async () => {
  for (const a of accounts.values()) {
    await a.proxy?.close();
    await a.fake.stop();
    rmSync(a.root, { recursive: true, force: true });
  }
  console.log(
    `profile-type matrix through dist/: ${timings.join("; ")}; total ${Math.round(performance.now() - started)} ms`,
  );
});

describe.each(PROFILE_TYPES.map((t) => [t]))("dist/main %s", (type: ProfileType) => {
  it("cold then warm on an empty account", async () => {
    const rule = profileTypeRule(type);
    const account = await openAccount(type);
    accounts.set(type, account);
    const { fake, proxy } = account;
    const bundleId = `com.matrix.${type.toLowerCase().replaceAll("_", "")}`;
    const inputs = {
      "issuer-id": fake.apiKey.issuerId,
      "key-id": fake.apiKey.keyId,
      "private-key": fake.apiKey.privateKeyPem,
      "api-base-url": proxy ? ENTERPRISE_API_BASE_URL : fake.url,
      "bundle-ids": bundleId,
      "profile-type": type,
      "certificate-private-key": signingKeyPem,
    };
    const env = { NODE_EXTRA_CA_CERTS: account.caFile, ...(proxy ? { HTTPS_PROXY: proxy.url } : {}) };

    const cold = await runStep("main", createRunnerEnvironment("Linux", env), inputs);
    expect(cold.code, cold.stdout + cold.stderr).toBe(0);
    expect(cold.outputs.changed).toBe("true");
    const path = cold.outputs["profile-path"]!;
    expect(extname(path)).toBe(rule.extension);
    const now = new Date();
    const info = readProvisioningProfile(readFileSync(path));
    expect(info.uuid).toBe(cold.outputs["profile-uuid"]);
    expect(info.teamId).toBe(fake.state.teamId);
    expect(info.bundleIdentifier).toBe(bundleId);
    expect(info.expirationDate.getTime()).toBeGreaterThan(now.getTime());
    expect(info.developerCertificates.map((c) => c.sha1)).toEqual([cold.outputs["certificate-sha1"]]);
    const [certificate] = fake.state.certificates();
    expect(rule.certificateTypes).toContain(certificate?.certificateType);
    const [profile] = fake.state.profiles();
    expect(profile?.profileType).toBe(type);
    const devices = DEVICES.filter((d) => (rule.deviceClasses as string[]).includes(d.deviceClass)).map(
      (d) => d.udid,
    );
    expect(info.provisionedDevices).toEqual(devices);
    expect(info.provisionsAllDevices).toBe(rule.distribution === "inhouse" || rule.distribution === "direct");
    if (proxy) {
      expect(proxy.tunnels.length).toBeGreaterThan(0);
      expect(proxy.tunnels.every((t) => t === `${ENTERPRISE_HOST}:443`)).toBe(true);
    }

    fake.clearLog();
    fake.setLatency(25); // round trips told apart by overlap
    const warm = await runStep("main", createRunnerEnvironment("Linux", env), inputs);
    fake.setLatency(0);
    expect(warm.code, warm.stdout + warm.stderr).toBe(0);
    expect(warm.outputs.changed).toBe("false");
    expect(warm.outputs["profile-uuid"]).toBe(cold.outputs["profile-uuid"]);
    const stats = fake.stats();
    expect(stats.writes).toBe(0);
    expect(stats.requests).toBeLessThanOrEqual(rule.deviceClasses.length > 0 ? 4 : 3);
    expect(stats.waves).toBe(1);
    expect([
      fake.state.bundleIds().length,
      fake.state.certificates().length,
      fake.state.profiles().length,
    ]).toEqual([1, 1, 1]);
    expect(fake.specViolations).toEqual([]);
    timings.push(
      `${type} ${Math.round(cold.ms)}+${Math.round(warm.ms)} ms (${stats.requests} warm requests)`,
    );
  });
});
