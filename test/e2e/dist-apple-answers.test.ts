// The built dist/ against the fake App Store Connect where Apple's answers are not the happy path
// (issue 12): a comma in profile-name refused before any request; a device Apple keeps DISABLED named in
// the one error; every UDID form Apple lists accepted; the shared DISTRIBUTION / IOS_DISTRIBUTION limit
// listing every blocking certificate; an unsigned profile on the account repaired with a reason that
// says so.
import { generateKeyPairSync } from "node:crypto";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseSignedData } from "../../src/core/signing/cms-signed-data.ts";
import { useDistFake } from "../support/dist-fake.ts";
import { startFakeAsc } from "../support/fake-asc/index.ts";
import { createRunnerEnvironment, runStep } from "../support/runner-sim.ts";

const asc = useDistFake();

function inputs(bundleIds: string, extra: Record<string, string> = {}): Record<string, string> {
  return asc.inputs({ "bundle-ids": bundleIds, ...extra });
}

async function main(raw: Record<string, string>) {
  const runner = createRunnerEnvironment("Linux", { NODE_EXTRA_CA_CERTS: asc.caFile });
  try {
    const run = await runStep("main", runner, raw);
    const errors = run.stdout.split("\n").filter((l) => l.startsWith("::error::"));
    return { ...run, errors };
  } finally {
    rmSync(runner.root, { recursive: true, force: true });
  }
}

describe("dist: Apple's answers beyond the happy path", () => {
  it("a comma in profile-name is refused naming the input and why, before any request", async () => {
    asc.fake.clearLog();
    const run = await main(inputs("com.e2e.comma", { "profile-name": "{bundleId}, {type}" }));
    expect(run.code).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(
      /`profile-name`: .*contains a comma: App Store Connect reads a comma in filter\[name\]/,
    );
    expect(asc.fake.stats().requests).toBe(0);
  });

  it("a device Apple keeps DISABLED fails the run naming it; no profile is made", async () => {
    const udid = "00008030-0000000000E2E0D1";
    const device = asc.fake.state.addDevice({ name: "QA phone", udid, platform: "IOS", status: "DISABLED" });
    asc.fake.state.keepDeviceDisabled(device.id);
    asc.fake.clearLog();
    const run = await main(
      inputs("com.e2e.reenable", {
        "profile-type": "IOS_APP_ADHOC",
        devices: `QA phone, ${udid}`,
        "reenable-devices": "true",
      }),
    );
    expect(run.code).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toContain(`Device "QA phone" (${udid}, id ${device.id})`);
    expect(run.errors[0]).toContain("with status DISABLED");
    expect(run.stdout).not.toMatch(/QA phone.*re-enabled/);
    expect(asc.fake.log.filter((r) => r.method === "POST" && r.path === "/v1/profiles")).toEqual([]);
  });

  it("registers every UDID form Apple lists and provisions them, then matches them warm in another case", async () => {
    const udids = {
      legacy: "0123456789abcdef0123456789abcdef0123e2e1",
      modern: "00008030-001A2B3C4D5EE2E1",
      mac: "12345678-90AB-CDEF-1234-567890ABE2E1",
    };
    const devices = [`Legacy, ${udids.legacy}`, `Modern, ${udids.modern}`, `Intel Mac, ${udids.mac}`].join(
      "\n",
    );
    const raw = inputs("com.e2e.udids", { "profile-type": "IOS_APP_DEVELOPMENT", devices });
    const cold = await main(raw);
    expect(cold.code, cold.stdout).toBe(0);
    const registered = asc.fake.state.devices().filter((d) => Object.values(udids).includes(d.udid));
    expect(registered.map((d) => [d.udid, d.platform]).sort()).toEqual(
      [
        [udids.legacy, "IOS"],
        [udids.modern, "IOS"],
        [udids.mac, "MAC_OS"],
      ].sort(),
    );
    const profile = asc.fake.state.profiles().find((p) => p.name === "com.e2e.udids IOS_APP_DEVELOPMENT")!;
    const ios = registered.filter((d) => d.platform === "IOS").map((d) => d.id);
    expect(profile.deviceIds.filter((id) => ios.includes(id)).sort()).toEqual(ios.sort());

    asc.fake.clearLog();
    const upper = [`Legacy, ${udids.legacy.toUpperCase()}`, `Modern, ${udids.modern.toLowerCase()}`].join(
      "\n",
    );
    const warm = await main({ ...raw, devices: upper, "device-selection": udids.modern.toLowerCase() });
    expect(warm.code, warm.stdout).toBe(0);
    expect(asc.fake.log.filter((r) => r.method === "POST" && r.path === "/v1/devices")).toEqual([]);
  });

  it("the certificate limit shared by DISTRIBUTION and IOS_DISTRIBUTION lists every blocking certificate", async () => {
    const limited = await startFakeAsc({ tls: true });
    const ca = join(createRunnerEnvironment().root, "ca-limited.pem");
    writeFileSync(ca, limited.caCertPem ?? "");
    try {
      const key = () => generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
      const blocking = [
        await limited.state.addCertificate({ certificateType: "IOS_DISTRIBUTION", publicKey: key() }),
        await limited.state.addCertificate({ certificateType: "IOS_DISTRIBUTION", publicKey: key() }),
        await limited.state.addCertificate({ certificateType: "DISTRIBUTION", publicKey: key() }),
      ];
      const runner = createRunnerEnvironment("Linux", { NODE_EXTRA_CA_CERTS: ca });
      const run = await runStep("main", runner, {
        ...inputs("com.e2e.limit"),
        "issuer-id": limited.apiKey.issuerId,
        "key-id": limited.apiKey.keyId,
        "private-key": limited.apiKey.privateKeyPem,
        "api-base-url": limited.url,
        "certificate-type": "DISTRIBUTION",
      });
      rmSync(runner.root, { recursive: true, force: true });
      expect(run.code).toBe(1);
      const error = run.stdout.split("\n").find((l) => l.startsWith("::error::")) ?? "";
      expect(error).toContain("DISTRIBUTION and IOS_DISTRIBUTION certificates count against one limit");
      for (const c of blocking) expect(error).toContain(`${c.certificateType} ${c.id} `);
    } finally {
      await limited.stop();
    }
  });

  it("an unsigned profile holding our name is repaired, and the log says it was unsigned", async () => {
    const raw = inputs("com.e2e.unsigned");
    expect((await main(raw)).code).toBe(0);
    const profile = asc.fake.state.profiles().find((p) => p.name === "com.e2e.unsigned IOS_APP_STORE")!;
    const plist = parseSignedData(await asc.fake.state.profileContent(profile.id), "profile").content;
    asc.fake.state.setProfileContent(profile.id, plist);
    const run = await main(raw);
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toContain("is a property list without a signature");
    expect(run.stdout).not.toContain("truncated?");
  });
});
