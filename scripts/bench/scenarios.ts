// The benchmark's scenarios: the account each one starts from, the inputs, and whether an untimed run
// first brings everything in place (warm). Shared by `npm run bench` (the built action under the runner
// simulation) and test/contract/bench-scenarios.test.ts (the engine in process), so both measure the
// same thing.
import type { KeyObject } from "node:crypto";
import { cpSync, existsSync } from "node:fs";
import { join } from "node:path";
import type { FakeAsc } from "../../test/support/fake-asc/index.ts";
import { sharedPath } from "../../test/support/shared-dir.ts";

export interface ScenarioContext {
  fake: FakeAsc;
  /** The RSA key the runs sign with (`certificate-private-key`). */
  signingKey: KeyObject;
}

export type Temperature = "cold" | "warm" | "repair";

export interface Scenario {
  /** Stable id for `--scenario` and the JSON results. */
  id: string;
  /** The number in the brief (issue 6): 1, 1b, 2, ... */
  number: string;
  title: string;
  temperature: Temperature;
  /** Bundle IDs in the run (the targets: one profile each). */
  bundleIds: string[];
  /** Scenario inputs on top of the API key, the signing key and the fake's URL. */
  inputs: Record<string, string>;
  /** The profile type provisions devices (so the warm read includes devices). */
  withDevices: boolean;
  /** The account as the run finds it, before any run. */
  seed?(ctx: ScenarioContext): Promise<void>;
  /** An untimed run first brings everything in place. */
  warmUp: boolean;
  /** After the warm-up, before the timed run. */
  afterWarmUp?(ctx: ScenarioContext): void;
  /** Puts what the run reads into each fresh runner's workspace (GITHUB_WORKSPACE), e.g. an Xcode project. */
  workspace?(dir: string): void;
  /** Why the scenario cannot run here (e.g. ../shared is absent), or undefined when it can. */
  unavailable?(): string | undefined;
}

const APP = "com.bench.app";
/** An app and four extensions. */
export const FIVE_TARGETS = [APP, `${APP}.widget`, `${APP}.intents`, `${APP}.notifications`, `${APP}.share`];
/** The target whose profile the repair scenario expires. */
export const REPAIRED_TARGET = `${APP}.intents`;
export const AD_HOC_DEVICES = 100;
export const LARGE_TEAM = { profiles: 1000, devices: 500, certificates: 20 } as const;

/** The team already signs with this key: its Apple Distribution certificate exists. */
async function seedCertificate(ctx: ScenarioContext): Promise<void> {
  // Issued a day ago: one issued within the last seconds may still be settling a race between jobs,
  // which a run joins with one more read.
  await ctx.fake.state.addCertificate({
    certificateType: "DISTRIBUTION",
    publicKey: ctx.signingKey,
    issuedAt: new Date(Date.now() - 86_400_000),
  });
}

/** Registered, enabled iPhones and iPads (every fifth an iPad). */
export function seedDevices(ctx: ScenarioContext, count: number): void {
  for (let i = 0; i < count; i++) {
    ctx.fake.state.addDevice({
      name: `Bench Device ${i + 1}`,
      udid: `00008101-${(0xbe0000000000 + i).toString(16).toUpperCase().padStart(16, "0")}`,
      platform: "IOS",
      deviceClass: i % 5 === 4 ? "IPAD" : "IPHONE",
    });
  }
}

function single(bundleIds: string[]): Record<string, string> {
  return { "bundle-ids": bundleIds.join("\n") };
}

/** The largest project of the Xcode corpus (../shared/xcode): an app with five extensions, four configurations. */
const DUCKDUCKGO = "duckduckgo-ios";
const DUCKDUCKGO_APP = "com.duckduckgo.mobile.ios";
export const DUCKDUCKGO_TARGETS = [
  DUCKDUCKGO_APP,
  `${DUCKDUCKGO_APP}.CredentialExtension`,
  `${DUCKDUCKGO_APP}.OpenAction2`,
  `${DUCKDUCKGO_APP}.Widgets`,
  `${DUCKDUCKGO_APP}.ShareExtension`,
  `${DUCKDUCKGO_APP}.NetworkExtension`,
];
/** What reading the project may add to a run (issue 15). */
export const PROJECT_READ_TARGET_MS = 100;

const fiveTargetInputs = { "bundle-ids": FIVE_TARGETS.join("\n"), capabilities: "*: APP_GROUPS" };
const adHocInputs = { "bundle-ids": APP, "profile-type": "IOS_APP_ADHOC" };

export const SCENARIOS: readonly Scenario[] = [
  {
    id: "cold-1-empty",
    number: "1",
    title: "cold, 1 bundle ID, App Store, empty account (creates the certificate)",
    temperature: "cold",
    bundleIds: [APP],
    inputs: single([APP]),
    withDevices: false,
    warmUp: false,
  },
  {
    id: "cold-1-cert",
    number: "1b",
    title: "cold, 1 bundle ID, App Store, certificate already exists for the key",
    temperature: "cold",
    bundleIds: [APP],
    inputs: single([APP]),
    withDevices: false,
    seed: seedCertificate,
    warmUp: false,
  },
  {
    id: "warm-1",
    number: "2",
    title: "warm, 1 bundle ID, App Store",
    temperature: "warm",
    bundleIds: [APP],
    inputs: single([APP]),
    withDevices: false,
    warmUp: true,
  },
  {
    id: "cold-5",
    number: "3",
    title: "cold, app + 4 extensions (App Groups on each), certificate exists",
    temperature: "cold",
    bundleIds: FIVE_TARGETS,
    inputs: fiveTargetInputs,
    withDevices: false,
    seed: seedCertificate,
    warmUp: false,
  },
  {
    id: "warm-5",
    number: "4",
    title: "warm, app + 4 extensions (App Groups on each)",
    temperature: "warm",
    bundleIds: FIVE_TARGETS,
    inputs: fiveTargetInputs,
    withDevices: false,
    warmUp: true,
  },
  {
    id: "adhoc-100-cold",
    number: "5",
    title: `cold, ad hoc, ${AD_HOC_DEVICES} registered devices, certificate exists`,
    temperature: "cold",
    bundleIds: [APP],
    inputs: adHocInputs,
    withDevices: true,
    async seed(ctx) {
      await seedCertificate(ctx);
      seedDevices(ctx, AD_HOC_DEVICES);
    },
    warmUp: false,
  },
  {
    id: "adhoc-100-warm",
    number: "5",
    title: `warm, ad hoc, ${AD_HOC_DEVICES} registered devices`,
    temperature: "warm",
    bundleIds: [APP],
    inputs: adHocInputs,
    withDevices: true,
    async seed(ctx) {
      seedDevices(ctx, AD_HOC_DEVICES);
    },
    warmUp: true,
  },
  {
    id: "warm-large-team",
    number: "6",
    title: `warm, 1 bundle ID, App Store, large team (${LARGE_TEAM.profiles} profiles, ${LARGE_TEAM.devices} devices, ${LARGE_TEAM.certificates} certificates)`,
    temperature: "warm",
    bundleIds: [APP],
    inputs: single([APP]),
    withDevices: false,
    async seed(ctx) {
      await ctx.fake.state.seedLargeTeam({ ...LARGE_TEAM });
    },
    warmUp: true,
  },
  {
    id: "repair-1-of-5",
    number: "7",
    title: "repair: 1 expired profile among 5 targets",
    temperature: "repair",
    bundleIds: FIVE_TARGETS,
    inputs: fiveTargetInputs,
    withDevices: false,
    warmUp: true,
    afterWarmUp(ctx) {
      const profile = ctx.fake.state
        .profiles()
        .find((p) => p.bundleIdentifier === REPAIRED_TARGET && p.profileType === "IOS_APP_STORE");
      if (!profile) throw new Error(`repair scenario: the warm-up made no profile for ${REPAIRED_TARGET}`);
      ctx.fake.state.expireProfile(profile.id);
    },
  },
  {
    id: "warm-project-duckduckgo",
    number: "8",
    title: "warm, `project` only: DuckDuckGo's Xcode project (6 signable targets, the corpus's largest)",
    temperature: "warm",
    bundleIds: DUCKDUCKGO_TARGETS,
    // Its app groups cannot be associated through the API: the entitlements check warns instead of failing.
    inputs: { project: `${DUCKDUCKGO}/DuckDuckGo-iOS.xcodeproj`, "entitlements-check": "warn" },
    withDevices: false,
    warmUp: true,
    workspace(dir) {
      cpSync(sharedPath("xcode", DUCKDUCKGO), join(dir, DUCKDUCKGO), { recursive: true });
    },
    unavailable() {
      return existsSync(sharedPath("xcode", DUCKDUCKGO))
        ? undefined
        : `../shared/xcode/${DUCKDUCKGO} (the Xcode project corpus) not found at ${sharedPath("xcode")}`;
    },
  },
];

/** The scenario with this id (throws on an unknown id: a typo in a test must not pass silently). */
export function scenario(id: string): Scenario {
  const found = SCENARIOS.find((s) => s.id === id);
  if (!found) throw new Error(`no scenario ${id}; known: ${SCENARIOS.map((s) => s.id).join(", ")}`);
  return found;
}

/**
 * Scenarios matching a `--scenario` filter: comma-separated ids, brief numbers (`1b`, `5`) or parts of
 * ids (`warm`, `adhoc`). No filter: all of them.
 */
export function selectScenarios(filter: string | undefined): Scenario[] {
  const terms = (filter ?? "")
    .split(",")
    .map((t) => t.trim().toLowerCase())
    .filter((t) => t !== "");
  if (terms.length === 0) return [...SCENARIOS];
  return SCENARIOS.filter((s) => terms.some((t) => s.number === t || s.id === t || s.id.includes(t)));
}
