// What must hold on the fake account whatever happened to the runs: no duplicate bundle ID for an
// identifier, at most one current certificate per type for our key, and no ACTIVE profile with one of
// our names other than the one the successful run returned. Each check returns readable problems.
import { createPublicKey, type KeyObject, X509Certificate } from "node:crypto";
import type { FakeAsc } from "../../support/fake-asc/index.ts";

const spki = (key: KeyObject): string =>
  (key.type === "public" ? key : createPublicKey(key))
    .export({ type: "spki", format: "der" })
    .toString("hex");

/** Current (not revoked, not expired) certificates issued for `key`, by certificate type. */
export function certificatesForKey(fake: FakeAsc, key: KeyObject, now = Date.now()): Map<string, string[]> {
  const ours = spki(key);
  const byType = new Map<string, string[]>();
  for (const c of fake.state.certificates()) {
    if (c.expiresAt <= now) continue;
    const certificateKey = new X509Certificate(c.der).publicKey.export({ type: "spki", format: "der" });
    if (certificateKey.toString("hex") !== ours) continue;
    byType.set(c.certificateType, [...(byType.get(c.certificateType) ?? []), c.id]);
  }
  return byType;
}

export function duplicateCertificates(fake: FakeAsc, key: KeyObject): string[] {
  return [...certificatesForKey(fake, key)]
    .filter(([, ids]) => ids.length > 1)
    .map(([type, ids]) => `${ids.length} current ${type} certificates for the key: ${ids.join(", ")}`);
}

export function duplicateBundleIds(fake: FakeAsc, identifiers: readonly string[]): string[] {
  const all = fake.state.bundleIds();
  return identifiers.flatMap((identifier) => {
    const same = all.filter((b) => b.identifier === identifier);
    return same.length > 1
      ? [`${same.length} bundle IDs ${identifier}: ${same.map((b) => b.id).join(", ")}`]
      : [];
  });
}

/**
 * Profiles named like ours that are ACTIVE but are not the one the run returned for that name
 * (`returned`: profile name → uuid). A missing returned profile is a problem too.
 */
export function orphanProfiles(fake: FakeAsc, returned: ReadonlyMap<string, string>): string[] {
  const problems: string[] = [];
  const live = fake.state.profiles().filter((p) => !p.zombie);
  for (const [name, uuid] of returned) {
    const named = live.filter((p) => p.name === name);
    const active = named.filter((p) => fake.state.profileState(p.id) === "ACTIVE");
    if (!active.some((p) => p.uuid === uuid))
      problems.push(`profile "${name}": the returned ${uuid} is not ACTIVE on the account`);
    const others = active.filter((p) => p.uuid !== uuid);
    if (others.length > 0)
      problems.push(
        `profile "${name}": ${others.length} other ACTIVE profile(s) left behind: ${others.map((p) => p.uuid).join(", ")}`,
      );
  }
  return problems;
}
