// The whole main and post with the real engine against the fake App Store Connect (loopback HTTP), on a
// simulated macOS runner with the stand-in `security`: a certificate issued from our key, a signed
// profile, both installed; a second run changes nothing.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { runMain } from "../../src/action/run-main.ts";
import { runPost } from "../../src/action/run-post.ts";
import { xcodeProfileDirectories } from "../../src/core/install/paths.ts";
import { type FakeAsc, startFakeAsc } from "../support/fake-asc/index.ts";
import { testKeys } from "../support/keys.ts";
import { createSandbox, type Sandbox } from "./support/action-sandbox.ts";

let fake: FakeAsc;
let sandbox: Sandbox;

beforeAll(async () => {
  fake = await startFakeAsc();
});
afterAll(async () => {
  await fake.stop();
});
afterEach(() => sandbox.dispose());

function inputs(): Record<string, string> {
  return {
    "issuer-id": fake.apiKey.issuerId,
    "key-id": fake.apiKey.keyId,
    "private-key": fake.apiKey.privateKeyPem,
    "api-base-url": fake.url,
    "bundle-ids": "com.example.fake",
    "certificate-private-key": testKeys().signingKeyPem,
  };
}

it("provisions, installs and cleans up; a second run reuses everything", async () => {
  sandbox = createSandbox({ runnerOs: "macOS", systemCertificates: [fake.pki.rootDer, fake.pki.wwdrDer] });
  sandbox.setInputs(inputs());
  await runMain();
  expect(sandbox.errors()).toEqual([]);
  const first = sandbox.outputs();
  expect(first.changed).toBe("true");
  expect(first["certificate-sha1"]).toMatch(/^[0-9A-F]{40}$/);
  const [xcode16, mobileDevice] = xcodeProfileDirectories(sandbox.home);
  const file = `${first["profile-uuid"]}.mobileprovision`;
  expect(first["profile-path"]).toBe(join(xcode16!, file));
  expect(readFileSync(join(mobileDevice!, file))).toEqual(readFileSync(join(xcode16!, file)));
  const keychain = sandbox.security.state().keychains[first["keychain-path"]!]!;
  expect(keychain.identities.map((i) => i.sha1)).toEqual([first["certificate-sha1"]]);
  expect(sandbox.warnings()).toEqual([]);
  sandbox.startPost();
  await runPost();
  sandbox.dispose();

  sandbox = createSandbox({ runnerOs: "macOS", systemCertificates: [fake.pki.rootDer, fake.pki.wwdrDer] });
  sandbox.setInputs(inputs());
  await runMain();
  expect(sandbox.errors()).toEqual([]);
  const second = sandbox.outputs();
  expect(second.changed).toBe("false");
  expect(JSON.parse(second.plan!)).toEqual([]);
  expect(second["profile-uuid"]).toBe(first["profile-uuid"]);
  expect(second["certificate-sha1"]).toBe(first["certificate-sha1"]);
});
