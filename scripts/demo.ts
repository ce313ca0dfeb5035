// `npm run demo`: the built action (dist/) against the embedded fake App Store Connect server, as the
// runner would run it. A cold run and a warm run of an app with one extension; for each, the plan, the
// outputs and the job summary, then the post step. Everything it starts is stopped at the end.
import { generateKeyPairSync } from "node:crypto";
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startFakeAsc } from "../test/support/fake-asc/index.ts";
import { createRunnerEnvironment, projectRoot, runStep, type StepRun } from "../test/support/runner-sim.ts";

if (!existsSync(join(projectRoot, "dist", "main", "index.js"))) {
  console.error("dist/main/index.js is missing: run `npm run build` first.");
  process.exit(1);
}

const latencyMs = Number(process.env.DEMO_LATENCY_MS ?? 100);
const fake = await startFakeAsc({ tls: true, latencyMs });
const runner = createRunnerEnvironment("Linux");
const caFile = join(runner.root, "fake-asc-ca.pem");
writeFileSync(caFile, fake.caCertPem ?? "");
runner.env.NODE_EXTRA_CA_CERTS = caFile;

const signingKey = generateKeyPairSync("rsa", { modulusLength: 2048 })
  .privateKey.export({ type: "pkcs8", format: "pem" })
  .toString();
const inputs = {
  "issuer-id": fake.apiKey.issuerId,
  "key-id": fake.apiKey.keyId,
  "private-key": fake.apiKey.privateKeyPem,
  "api-base-url": fake.url,
  "bundle-ids": "com.example.demo\ncom.example.demo.widget",
  capabilities: "*: APP_GROUPS\nPUSH_NOTIFICATIONS",
  "certificate-private-key": signingKey,
};

/** What the runner shows: every value registered with `::add-mask::` replaced by ***. */
function masked(run: StepRun, text: string): string {
  const secrets = run.stdout
    .split("\n")
    .filter((l) => l.startsWith("::add-mask::"))
    .map((l) => l.slice("::add-mask::".length))
    .filter((secret) => secret.length > 0)
    .sort((a, b) => b.length - a.length);
  return secrets.reduce((out, secret) => out.split(secret).join("***"), text);
}

/** A workflow command's message as the runner decodes it (%0A, %0D and %25 escapes). */
function commandData(data: string): string {
  return data.replace(/%0A/gi, "\n").replace(/%0D/gi, "\r").replace(/%25/g, "%");
}

const ANNOTATIONS: Record<string, string> = { warning: "Warning", notice: "Notice", error: "Error" };

/**
 * The step's log as the runner renders it: `::group::` a collapsible header ("▸ Name", here expanded,
 * its lines indented) closed by `::endgroup::`; `::warning::`, `::notice::` and `::error::` as
 * "Warning: …"; `::debug::` hidden (shown only with step debug logging on); `::add-mask::` and the other
 * commands not shown; masked values as ***.
 */
function rendered(run: StepRun, text: string): string {
  const out: string[] = [];
  let inGroup = false;
  for (const line of text.replace(/\n$/, "").split("\n")) {
    const command = /^::([a-z-]+)(?: [^:]*)?::(.*)$/.exec(line);
    const indent = inGroup ? "  " : "";
    if (!command) {
      out.push(`${indent}${line}`);
      continue;
    }
    const [, name, data = ""] = command;
    if (name === "group") {
      out.push(`▸ ${commandData(data)}`);
      inGroup = true;
    } else if (name === "endgroup") inGroup = false;
    else if (name && ANNOTATIONS[name]) {
      const [first, ...rest] = commandData(data).split("\n");
      out.push(`${indent}${ANNOTATIONS[name]}: ${first}`, ...rest.map((l) => `${indent}  ${l}`));
    }
  }
  return masked(run, out.join("\n").trim());
}

function show(title: string, run: StepRun): void {
  const stats = fake.stats();
  console.log(
    `\n${"=".repeat(100)}\n${title}: exit ${run.code}, ${Math.round(run.ms)} ms, ${stats.requests} requests to App Store Connect (${stats.writes} writes) in ${stats.waves} round-trip waves at ${latencyMs} ms latency\n${"=".repeat(100)}`,
  );
  console.log(`\n--- log (as the runner shows it; groups expanded) ---\n${rendered(run, run.stdout)}`);
  if (run.stderr.trim()) console.log(`\n--- stderr ---\n${run.stderr.trim()}`);
  console.log(`\n--- plan ---\n${JSON.stringify(JSON.parse(run.outputs.plan ?? "[]"), null, 2)}`);
  console.log("\n--- outputs ---");
  for (const [name, value] of Object.entries(run.outputs)) {
    if (name === "plan" || name === "profiles") continue;
    console.log(`${name}: ${masked(run, value)}`);
  }
  console.log(`profiles: ${JSON.stringify(JSON.parse(run.outputs.profiles ?? "[]"), null, 2)}`);
  console.log(`\n--- job summary (Markdown) ---\n${run.summary.trim()}`);
}

let failed = false;
try {
  for (const label of [
    "Cold run (empty App Store Connect account)",
    "Warm run (everything already in place)",
  ]) {
    fake.clearLog();
    const main = await runStep("main", runner, inputs);
    show(label, main);
    const post = await runStep("post", runner, inputs, main.state);
    console.log(`\n--- post (cleanup) exit ${post.code} ---\n${rendered(post, post.stdout)}`);
    if (main.code !== 0 || post.code !== 0) failed = true;
  }
} finally {
  await fake.stop();
  rmSync(runner.root, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
