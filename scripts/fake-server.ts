// Runs the fake App Store Connect server until Ctrl+C, for demos and for trying a client by hand:
//   npm run fake -- [--port N] [--tls] [--latency MS] [--seed-large] [--validate]
// The API key goes to a .p8 file (mode 0600) in a fresh temporary directory, removed on exit.
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startFakeAsc } from "../test/support/fake-asc/index.ts";
import { loadSpecValidator } from "../test/support/openapi-validator.ts";
import { hasShared, sharedMissingMessage } from "../test/support/shared-dir.ts";

const USAGE = "usage: npm run fake -- [--port N] [--tls] [--latency MS] [--seed-large] [--validate]";

function fail(message: string): never {
  console.error(`fake-server: ${message}\n${USAGE}`);
  process.exit(2);
}

function nonNegativeInteger(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n))
    fail(`--${name} must be a whole number, got ${JSON.stringify(raw)}`);
  return n;
}

const OPTIONS = {
  port: { type: "string" },
  tls: { type: "boolean", default: false },
  latency: { type: "string" },
  "seed-large": { type: "boolean", default: false },
  validate: { type: "boolean", default: false },
  help: { type: "boolean", default: false },
} as const;

function parse() {
  try {
    return parseArgs({ options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (error) {
    return fail((error as Error).message);
  }
}

const args = parse();
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
const port = nonNegativeInteger("port", args.port, 0);
if (port > 65_535) fail(`--port must be at most 65535, got ${port}`);
const latencyMs = nonNegativeInteger("latency", args.latency, 0);
if (args.validate && !hasShared) fail(`--validate needs Apple's spec. ${sharedMissingMessage}`);

const fake = await startFakeAsc({
  port,
  tls: args.tls,
  latencyMs,
  ...(args.validate ? { validator: loadSpecValidator() } : {}),
});
const dir = await mkdtemp(join(tmpdir(), "fake-asc-"));
const keyPath = join(dir, `AuthKey_${fake.apiKey.keyId}.p8`);
await writeFile(keyPath, fake.apiKey.privateKeyPem, { mode: 0o600 });
await chmod(keyPath, 0o600);
let caPath: string | undefined;
if (fake.caCertPem) {
  caPath = join(dir, "fake-asc-ca.pem");
  await writeFile(caPath, fake.caCertPem);
}
if (args["seed-large"]) {
  const seed = await fake.state.seedLargeTeam();
  console.log(
    `seeded: ${seed.bundleIdIds.length} bundle IDs, ${seed.profileIds.length} profiles, ${seed.deviceIds.length} devices, ${seed.certificateIds.length} certificates`,
  );
}

console.log(
  [
    `fake App Store Connect at ${fake.url}`,
    `  team:      ${fake.state.teamId}`,
    `  issuer id: ${fake.apiKey.issuerId}`,
    `  key id:    ${fake.apiKey.keyId}`,
    `  key file:  ${keyPath}`,
    ...(caPath ? [`  TLS CA:    ${caPath} (e.g. NODE_EXTRA_CA_CERTS=${caPath})`] : []),
    `  latency:   ${latencyMs} ms`,
    "Ctrl+C stops it and removes the key file.",
  ].join("\n"),
);

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  const stats = fake.stats();
  console.log(`\n${signal}: ${stats.requests} requests (${stats.writes} writes) in ${stats.waves} waves`);
  if (args.validate) {
    console.log(
      fake.specViolations.length === 0
        ? "no spec violations"
        : `${fake.specViolations.length} spec violations:\n${fake.specViolations.join("\n")}`,
    );
  }
  await fake.stop();
  await rm(dir, { recursive: true, force: true });
  process.exit(0);
};
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
