// With RUNNER_DEBUG=1, no secret reaches the log the runner shows (add-mask before first use), the
// GITHUB_OUTPUT file (except the p12-password output itself) or the job summary.
import { afterEach, beforeAll, expect, it } from "vitest";
import { runMain } from "../../src/action/run-main.ts";
import { runPost } from "../../src/action/run-post.ts";
import { testKeys } from "../support/keys.ts";
import { createSandbox, type Sandbox } from "./support/action-sandbox.ts";
import { type CannedIdentity, cannedIdentity } from "./support/canned-identity.ts";
import { cannedResult } from "./support/canned-result.ts";
import { baseInputs, fakeEngine } from "./support/scenario.ts";

let identity: CannedIdentity;
let sandbox: Sandbox;

beforeAll(async () => {
  identity = await cannedIdentity();
});

afterEach(() => sandbox.dispose());

/** Body lines of a PEM (the header and footer are not secret), each at least 16 characters. */
const pemBody = (pem: string): string[] =>
  pem
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.length >= 16 && !l.startsWith("-----"));

const withBase64 = (secret: string): string[] => [secret, Buffer.from(secret).toString("base64")];

it("keeps keys and passwords out of the shown log, the outputs file and the summary", async () => {
  sandbox = createSandbox({ runnerOs: "macOS", systemCertificates: [identity.rootDer, identity.caDer] });
  sandbox.setEnv("RUNNER_DEBUG", "1");
  const { apiKeyPem, signingKeyPem } = testKeys();
  sandbox.setInputs(baseInputs());
  await runMain({ provision: fakeEngine({ result: cannedResult(identity) }).provision });
  expect(sandbox.errors()).toEqual([]);
  const mainLog = sandbox.rawLog();
  const shownMain = sandbox.maskedLog();
  sandbox.startPost();
  await runPost();
  const shownPost = sandbox.maskedLog();
  expect(sandbox.errors()).toEqual([]);

  const p12Password = sandbox.outputs()["p12-password"]!;
  const keychainPassword = sandbox.security.log()[1]!.stdin.split("\n")[0]!;
  expect(keychainPassword).toMatch(/^[0-9a-f]{64}$/);
  const secrets = [
    ...pemBody(apiKeyPem),
    ...pemBody(signingKeyPem),
    ...withBase64(apiKeyPem),
    ...withBase64(signingKeyPem),
    ...withBase64(p12Password),
    ...withBase64(keychainPassword),
  ];

  // The masking is real: the generated passwords were registered with the runner.
  expect(mainLog).toContain(`::add-mask::${p12Password}`);
  expect(mainLog).toContain(`::add-mask::${keychainPassword}`);

  const shown = `${shownMain}\n${shownPost}`;
  const outputs = sandbox.outputFileText().split(p12Password).join("<p12-password output>");
  const summary = sandbox.summary();
  for (const secret of secrets) {
    expect(shown.includes(secret), `log shows ${secret.slice(0, 12)}…`).toBe(false);
    expect(outputs.includes(secret), `GITHUB_OUTPUT has ${secret.slice(0, 12)}…`).toBe(false);
    expect(summary.includes(secret), `summary has ${secret.slice(0, 12)}…`).toBe(false);
  }
  expect(sandbox.outputFileText().split(p12Password)).toHaveLength(2);
});
