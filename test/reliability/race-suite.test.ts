// Race suite: jobs started at once on the same account (CI matrices, re-runs) converge: one bundle ID,
// one certificate for the key, one ACTIVE profile per name, and every job names those same resources.
// Latency makes the requests of the jobs interleave; the engine waits for real (its certificate-race
// settling compares notBefore seconds), the client's backoff is short.
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { RawInputs } from "../../src/core/config-parse.ts";
import { AscApiError } from "../../src/core/errors.ts";
import { type Logger, realSleep } from "../../src/core/ports.ts";
import type { ProvisionResult } from "../../src/core/result.ts";
import { mulberry32 } from "../support/fake-asc/faults.ts";
import { type FakeAsc, startFakeAsc } from "../support/fake-asc/index.ts";
import { testKeys } from "../support/keys.ts";
import {
  certificatesForKey,
  duplicateBundleIds,
  duplicateCertificates,
  orphanProfiles,
} from "./support/account-invariants.ts";
import { closeSharedAgent, describeOutcome, type EngineRunOutcome, runEngine } from "./support/engine-run.ts";

const JOBS = 8;
const DAY_MS = 86_400_000;
/** Rounds of the repeated cold race (RACE_ROUNDS overrides); each round's seed is in its title. */
const ROUNDS = Math.max(20, Number(process.env.RACE_ROUNDS ?? 20) || 20);
/** Seed of the first round (RACE_SEED replays a run); the rounds use BASE_SEED + i. */
const BASE_SEED = Number(process.env.RACE_SEED ?? Date.now() % 1_000_000) >>> 0;
let fake: FakeAsc | undefined;

afterEach(async () => {
  await fake?.stop();
  fake = undefined;
});
afterAll(() => closeSharedAgent());

/** `inputs[i]` for job i, all started together; every job must succeed. */
async function race(account: FakeAsc, inputs: RawInputs[]): Promise<ProvisionResult[]> {
  const outcomes: EngineRunOutcome[] = await Promise.all(
    inputs.map((i) =>
      runEngine(account, {
        inputs: i,
        sleep: realSleep,
        engineSleep: realSleep,
        retry: { baseDelayMs: 20, maxDelayMs: 200 },
      }),
    ),
  );
  const failed = outcomes
    .map((o, i) => `job ${i}: ${describeOutcome(o)}`)
    .filter((_, i) => !outcomes[i]!.result);
  expect(failed, failed.join("\n")).toEqual([]);
  return outcomes.map((o) => o.result!);
}

/** The account after a race: nothing duplicated, the returned profiles the only ACTIVE ones. */
function expectConverged(account: FakeAsc, identifiers: string[], results: ProvisionResult[]): void {
  expect(duplicateBundleIds(account, identifiers)).toEqual([]);
  expect(duplicateCertificates(account, testKeys().signingKey)).toEqual([]);
  for (const r of results)
    expect(orphanProfiles(account, new Map(r.profiles.map((p) => [p.name, p.uuid])))).toEqual([]);
  for (const identifier of identifiers)
    expect(account.state.bundleIds().filter((b) => b.identifier === identifier)).toHaveLength(1);
}

/**
 * One cold race: `JOBS` jobs with the same configuration on an empty account, each started after a seeded
 * jitter, on a fake whose latency the seed picks (low, so that 20 rounds stay quick). Every job must exit
 * with the profile that survives, and the account must hold exactly one bundle ID, one certificate for
 * the key and one ACTIVE profile (containing that certificate) when the last job ends.
 */
async function coldRaceRound(seed: number): Promise<void> {
  const random = mulberry32(seed);
  const account = await startFakeAsc({ latencyMs: 2 + Math.floor(random() * 10) });
  fake = account;
  // Half the rounds provision an app with an extension, a capability on the app (which makes profiles
  // made before it INVALID at Apple, and in the fake).
  const withExtension = random() < 0.5;
  const identifiers = withExtension ? ["com.race.round", "com.race.round.widget"] : ["com.race.round"];
  const inputs = {
    "bundle-ids": identifiers.join("\n"),
    ...(withExtension ? { capabilities: "com.race.round: PUSH_NOTIFICATIONS" } : {}),
  };
  const jitters = Array.from({ length: JOBS }, () => Math.floor(random() * 60));
  const logs = jitters.map(() => [] as string[]);
  const outcomes = await Promise.all(
    jitters.map(async (jitter, i) => {
      await realSleep(jitter);
      return runEngine(account, {
        inputs,
        sleep: realSleep,
        engineSleep: realSleep,
        retry: { baseDelayMs: 20, maxDelayMs: 200 },
        logger: collectingLogger(logs[i]!),
      });
    }),
  );
  // Each failure message carries every job's log, so that a round can be understood from CI output.
  const context = () =>
    `seed ${seed}\n${logs.map((lines, i) => `job ${i} (+${jitters[i]} ms):\n  ${lines.join("\n  ")}`).join("\n")}`;
  const failed = outcomes.flatMap((o, i) => (o.result ? [] : [`job ${i}: ${describeOutcome(o)}`]));
  expect(failed, `${failed.join("\n")}\n${context()}`).toEqual([]);
  const results = outcomes.map((o) => o.result!);

  expect(duplicateBundleIds(account, identifiers), `seed ${seed}`).toEqual([]);
  expect(account.state.bundleIds(), `seed ${seed}`).toHaveLength(identifiers.length);
  const certificates = certificatesForKey(account, testKeys().signingKey);
  expect([...certificates.keys()], `seed ${seed}`).toEqual(["DISTRIBUTION"]);
  expect(certificates.get("DISTRIBUTION"), `current certificates, ${context()}`).toHaveLength(1);
  const [certificateId] = certificates.get("DISTRIBUTION")!;
  expect(new Set(results.map((r) => r.certificate?.id)), `certificates returned, ${context()}`).toEqual(
    new Set([certificateId]),
  );
  for (const identifier of identifiers) {
    const bundle = account.state.bundleIds().find((b) => b.identifier === identifier)!;
    const active = account.state
      .profiles()
      .filter((p) => p.bundleIdId === bundle.id && account.state.profileState(p.id) === "ACTIVE");
    expect(
      active.map((p) => ({ uuid: p.uuid, certificates: p.certificateIds })),
      `${identifier}: ACTIVE profiles, ${context()}`,
    ).toEqual([{ uuid: active[0]?.uuid, certificates: [certificateId] }]);
    const returned = new Set(results.map((r) => r.profiles.find((p) => p.bundleId === identifier)?.uuid));
    expect([...returned], `${identifier}: profiles returned, ${context()}`).toEqual([active[0]!.uuid]);
  }
}

/** A logger that keeps every line (groups flattened). */
function collectingLogger(lines: string[]): Logger {
  return {
    debug: () => {},
    info: (m) => lines.push(m),
    warning: (m) => lines.push(`warning: ${m}`),
    error: (m) => lines.push(`error: ${m}`),
    group: (_name, fn) => fn(),
  };
}

describe(`race suite: ${ROUNDS} rounds of ${JOBS} cold jobs (seeds ${BASE_SEED}..${BASE_SEED + ROUNDS - 1})`, () => {
  for (let round = 0; round < ROUNDS; round++) {
    const seed = BASE_SEED + round;
    it(
      `round ${round + 1}, seed ${seed}: every job exits 0 with the surviving profile; 1 bundle ID, 1 certificate, 1 ACTIVE profile`,
      {
        timeout: 30_000,
      },
      () => coldRaceRound(seed),
    );
  }
});

describe("race suite", () => {
  it(`${JOBS} jobs with the same configuration on an empty account converge on the same resources`, async () => {
    fake = await startFakeAsc({ latencyMs: 30 });
    const identifiers = ["com.race.app", "com.race.app.widget"];
    const inputs = { "bundle-ids": identifiers.join("\n"), capabilities: "com.race.app: PUSH_NOTIFICATIONS" };
    const results = await race(
      fake,
      Array.from({ length: JOBS }, () => inputs),
    );

    expectConverged(fake, identifiers, results);
    const certificates = certificatesForKey(fake, testKeys().signingKey);
    expect([...certificates.keys()]).toEqual(["DISTRIBUTION"]);
    expect(certificates.get("DISTRIBUTION")).toHaveLength(1);
    const [certificateId] = certificates.get("DISTRIBUTION")!;
    expect(new Set(results.map((r) => r.certificate?.id))).toEqual(new Set([certificateId]));
    for (const identifier of identifiers) {
      const uuids = new Set(results.map((r) => r.profiles.find((p) => p.bundleId === identifier)?.uuid));
      expect(uuids.size, `${identifier}: jobs returned ${[...uuids].join(", ")}`).toBe(1);
      const bundle = fake.state.bundleIds().find((b) => b.identifier === identifier)!;
      const active = fake.state
        .profiles()
        .filter((p) => p.bundleIdId === bundle.id && fake!.state.profileState(p.id) === "ACTIVE");
      expect(active.map((p) => p.uuid)).toEqual([...uuids]);
    }
    // The requests of the jobs really interleaved: many were in flight together.
    expect(fake.stats().waves).toBeLessThan(fake.stats().requests / 2);

    // Converged for good: the next run changes nothing.
    const from = fake.log.length;
    const [again] = await race(fake, [inputs]);
    expect(again!.changed).toBe(false);
    expect(fake.log.slice(from).filter((r) => r.write)).toEqual([]);
  });

  it("a profile made optimistically with a certificate that then loses the race is replaced for the winner", async () => {
    // A job creates its certificate and, while the race guard waits, its profile. Meanwhile another job's
    // certificate for the same key appears, issued a second earlier: the settling adopts that one and
    // revokes ours, so the profile made with ours must be replaced by one for the adopted certificate.
    let clockOffset = 0;
    fake = await startFakeAsc({ now: () => Date.now() + clockOffset });
    const account = fake;
    let racing: string | undefined;
    const outcome = await runEngine(account, {
      inputs: { "bundle-ids": "com.race.lost" },
      engineSleep: async () => {
        clockOffset = -2_000;
        racing = (
          await account.state.addCertificate({
            certificateType: "DISTRIBUTION",
            publicKey: testKeys().signingKey,
          })
        ).id;
        clockOffset = 0;
      },
    });
    expect(outcome.error).toBeUndefined();
    const result = outcome.result!;
    expect(racing).toBeDefined();
    expect(result.certificate?.id).toBe(racing);
    expect(certificatesForKey(account, testKeys().signingKey).get("DISTRIBUTION")).toEqual([racing]);

    const active = account.state.profiles().filter((p) => account.state.profileState(p.id) === "ACTIVE");
    expect(active).toHaveLength(1);
    expect(active[0]!.certificateIds).toEqual([racing]);
    expect(result.profiles.map((p) => p.uuid)).toEqual([active[0]!.uuid]);
    // Two profiles were created: the optimistic one (deleted) and its replacement.
    const created = outcome.requests.filter((r) => r.method === "POST" && r.path === "/v1/profiles");
    const deleted = outcome.requests.filter(
      (r) => r.method === "DELETE" && r.path.startsWith("/v1/profiles/"),
    );
    expect([created.length, deleted.length]).toEqual([2, 1]);
  });

  it("a job that adopts a certificate still racing and replaces its profile afterwards reports the change", async () => {
    // The account already has the bundle ID, a certificate for the key issued just now and a valid profile
    // made with it, so the plan has no step. While the joined settling waits, an older certificate of the
    // same race appears: the job switches to it and replaces the profile, a change made outside the plan.
    let clockOffset = 0;
    fake = await startFakeAsc({ now: () => Date.now() + clockOffset });
    const account = fake;
    const bundle = account.state.addBundleId({
      identifier: "com.race.joined",
      name: "Joined",
      platform: "IOS",
    });
    const newer = await account.state.addCertificate({
      certificateType: "DISTRIBUTION",
      publicKey: testKeys().signingKey,
    });
    account.state.addProfile({
      name: "com.race.joined IOS_APP_STORE",
      profileType: "IOS_APP_STORE",
      bundleIdId: bundle.id,
      certificateIds: [newer.id],
    });
    let older: string | undefined;
    const outcome = await runEngine(account, {
      inputs: { "bundle-ids": "com.race.joined" },
      engineSleep: async () => {
        if (older) return;
        clockOffset = -2_000;
        older = (
          await account.state.addCertificate({
            certificateType: "DISTRIBUTION",
            publicKey: testKeys().signingKey,
          })
        ).id;
        clockOffset = 0;
      },
    });
    expect(outcome.error).toBeUndefined();
    const result = outcome.result!;
    expect(result.plan).toEqual([]);
    expect(result.certificate?.id).toBe(older);
    expect(outcome.requests.filter((r) => r.write).length).toBeGreaterThan(0);
    expect(result.changed).toBe(true);
  });

  it("App Store and ad hoc profiles racing on the same bundle ID both end ACTIVE, each unique", async () => {
    fake = await startFakeAsc({ latencyMs: 40 });
    fake.state.addDevice({
      name: "Phone",
      udid: "00008030-000000000000AD01",
      platform: "IOS",
      deviceClass: "IPHONE",
    });
    const identifier = "com.race.mixed";
    const store = { "bundle-ids": identifier, "profile-type": "IOS_APP_STORE" };
    const adhoc = { "bundle-ids": identifier, "profile-type": "IOS_APP_ADHOC" };
    const inputs = [store, adhoc, store, adhoc];
    const results = await race(fake, inputs);

    expectConverged(fake, [identifier], results);
    expect(fake.state.bundleIds().filter((b) => b.identifier === identifier)).toHaveLength(1);
    const certificates = certificatesForKey(fake, testKeys().signingKey);
    expect(certificates.get("DISTRIBUTION")).toHaveLength(1);
    expect(new Set(results.map((r) => r.certificate?.id)).size).toBe(1);
    const byType = (type: string) =>
      new Set(
        results
          .filter((_, i) => inputs[i] === (type === "IOS_APP_STORE" ? store : adhoc))
          .map((r) => r.profiles[0]!.uuid),
      );
    expect(byType("IOS_APP_STORE").size).toBe(1);
    expect(byType("IOS_APP_ADHOC").size).toBe(1);
    const active = fake.state.profiles().filter((p) => fake!.state.profileState(p.id) === "ACTIVE");
    expect(active.map((p) => p.profileType).sort()).toEqual(["IOS_APP_ADHOC", "IOS_APP_STORE"]);
    expect(active.find((p) => p.profileType === "IOS_APP_ADHOC")!.deviceIds).toHaveLength(1);
  });

  it("jobs racing while requests fail still converge after a clean run", { timeout: 60_000 }, async () => {
    const identifier = "com.race.faults";
    const inputs = { "bundle-ids": identifier };
    for (const seed of [5, 7, 11, 12]) {
      const account = await startFakeAsc({ latencyMs: 30 });
      try {
        account.faults.random({
          rate: 0.15,
          seed,
          kinds: ["502", "html502", "reset"],
          when: "either",
          holdMs: 200,
        });
        const outcomes = await Promise.all(
          Array.from({ length: 6 }, () =>
            runEngine(account, {
              inputs,
              sleep: realSleep,
              engineSleep: realSleep,
              retry: { baseDelayMs: 20, maxDelayMs: 200 },
            }),
          ),
        );
        account.faults.clear();
        for (const o of outcomes)
          if (o.error !== undefined)
            expect(o.error, `seed ${seed}: ${describeOutcome(o)}`).toBeInstanceOf(AscApiError);
        const [clean] = await race(account, [inputs]);
        const [again] = await race(account, [inputs]);
        expect(again!.changed, `seed ${seed}`).toBe(false);
        expect(duplicateCertificates(account, testKeys().signingKey), `seed ${seed}`).toEqual([]);
        expect(duplicateBundleIds(account, [identifier]), `seed ${seed}`).toEqual([]);
        expect(
          orphanProfiles(account, new Map(clean!.profiles.map((p) => [p.name, p.uuid]))),
          `seed ${seed}`,
        ).toEqual([]);
      } finally {
        await account.stop();
      }
    }
  });

  it("jobs renewing a certificate together converge on one renewal; the old one is kept, not undone", async () => {
    // The certificate being renewed was issued 355 days ago: it is not part of the race.
    let offset = -355 * DAY_MS;
    fake = await startFakeAsc({ now: () => Date.now() + offset, latencyMs: 20 });
    const old = await fake.state.addCertificate({
      certificateType: "DISTRIBUTION",
      publicKey: testKeys().signingKey,
    });
    offset = 0;
    const inputs = { "bundle-ids": "com.race.renew", "certificate-renew-days": "30" };
    const results = await race(fake, [inputs, inputs, inputs]);
    const renewedIds = new Set(results.map((r) => r.certificate?.id));
    expect(renewedIds.size).toBe(1);
    const [renewed] = [...renewedIds];
    expect(renewed).not.toBe(old.id);
    expect(results.every((r) => r.certificate?.outcome === "created")).toBe(true);
    expect(
      fake.state
        .certificates()
        .map((c) => c.id)
        .sort(),
    ).toEqual([old.id, renewed].sort());
    const from = fake.log.length;
    const [again] = await race(fake, [inputs]);
    expect(again!.changed).toBe(false);
    expect(again!.certificate?.id).toBe(renewed);
    expect(fake.log.slice(from).filter((r) => r.write)).toEqual([]);
  });
});
