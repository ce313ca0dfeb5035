// A large team in the fake (seeded fast: profiles signed lazily, once) and the fake over HTTPS.
import { describe, expect, it } from "vitest";
import type { FakeResponse } from "../support/fake-asc/client.ts";
import { fakeClient } from "../support/fake-asc/client.ts";
import { profilePlist, useFakeAsc } from "../support/fake-asc/testing.ts";

describe("fake ASC: a large team", () => {
  const h = useFakeAsc();
  let signatures = 0;

  it("seeds 1000 profiles, 500 devices and 20 certificates without signing a single profile", async () => {
    const sign = h.fake.pki.signProfile.bind(h.fake.pki);
    h.fake.pki.signProfile = (content, options) => {
      signatures += 1;
      return sign(content, options);
    };
    const started = performance.now();
    const seed = await h.fake.state.seedLargeTeam({ profiles: 1000, devices: 500, certificates: 20 });
    console.log(`seedLargeTeam: ${Math.round(performance.now() - started)} ms`);
    expect(seed.profileIds).toHaveLength(1000);
    expect(seed.deviceIds).toHaveLength(500);
    expect(seed.certificateIds).toHaveLength(20);
    expect(h.fake.state.profiles()).toHaveLength(1000);
    expect(signatures).toBe(0);
    expect(seed.certificateKeyPem).toContain("BEGIN PRIVATE KEY");
  });

  it("pages through every profile with links.next, signing none when the content is not asked for", async () => {
    const seen = new Set<string>();
    let url: string | undefined = "/v1/profiles?limit=200&fields[profiles]=name,profileState";
    let pages = 0;
    while (url) {
      const res: FakeResponse = await h.api.get(url);
      expect(res.body.meta.paging).toEqual({ total: 1000, limit: 200 });
      for (const p of res.body.data) seen.add(p.id);
      url = res.body.links.next;
      pages += 1;
    }
    expect(pages).toBe(5);
    expect(seen.size).toBe(1000);
    expect(signatures).toBe(0);
  });

  it("signs a profile's content on first read and caches it", async () => {
    const [profile] = h.fake.state.profiles();
    const first = await h.api.get(`/v1/profiles/${profile!.id}`);
    expect(signatures).toBe(1);
    const again = await h.api.get(`/v1/profiles/${profile!.id}`);
    expect(signatures).toBe(1);
    expect(again.body.data.attributes.profileContent).toBe(first.body.data.attributes.profileContent);
    const plist = await profilePlist(first.body.data.attributes.profileContent);
    expect(plist.UUID).toBe(profile!.uuid);
    expect(plist.Name).toBe(profile!.name);
  });

  it("still matches identifiers as substrings at scale", async () => {
    const res = await h.api.get("/v1/bundleIds?filter[identifier]=com.example.large.app1&limit=200");
    expect(res.body.data).toHaveLength(12); // app1, app10..app19, app100
  });
});

describe("fake ASC: HTTPS", () => {
  const h = useFakeAsc({ tls: true });

  it("serves HTTPS with a throwaway CA that the client must trust", async () => {
    expect(h.fake.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(h.fake.caCertPem).toContain("BEGIN CERTIFICATE");
    const trusted = await h.api.get("/v1/bundleIds");
    expect(trusted.status).toBe(200);
    expect(trusted.body.links.self).toBe(`${h.fake.url}/v1/bundleIds`);
    const untrusting = fakeClient(h.fake.url, { key: h.fake.apiKey });
    try {
      await expect(untrusting.get("/v1/bundleIds")).rejects.toThrow();
    } finally {
      await untrusting.close();
    }
  });
});
