// The main step: inputs → config → provision → install on the runner → outputs and summary.
// Every effect comes in through MainDeps, so tests run the whole program per scenario.
import { createPrivateKey, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import * as core from "@actions/core";
import type { CacheStore } from "../core/cache/cache-port.ts";
import type { Config } from "../core/config.ts";
import { loadConfig, type RawInputs } from "../core/config-parse.ts";
import { describeError, InputError, type InputProblem } from "../core/errors.ts";
import { type InstallOptions, parseInstallOptions } from "../core/install/install-options.ts";
import { installKeychain } from "../core/install/keychain.ts";
import { type BuildPkcs12, writeP12File } from "../core/install/p12-file.ts";
import { isMacOs, keychainPath, profileDirectories, workDirectory } from "../core/install/paths.ts";
import { installProfiles } from "../core/install/profiles-install.ts";
import { writeRecordedFile } from "../core/install/recorded-files.ts";
import type { Exec, Logger, SecretMasker } from "../core/ports.ts";
import { type ProvisionDeps, provision as realProvision } from "../core/provision.ts";
import type { ProvisionResult } from "../core/result.ts";
import { maskSecret } from "../core/secret-forms.ts";
import type * as Pkcs12Builder from "../core/signing/pkcs12-build.ts";
import { ACTION_NAME, ADAPTER_SECRET_INPUTS } from "./action-metadata.ts";
import {
  type Degraded,
  openCacheSession,
  provisionWithFallback,
  saveToCache,
  supplyCertificateKey,
} from "./cache-wiring.ts";
import { createProcessExec } from "./exec.ts";
import { expiryWarnings } from "./expiry-warnings.ts";
import { readInputs } from "./inputs.ts";
import { emptyInstallReport, type InstallReport } from "./install-report.ts";
import { createActionsLogger } from "./logger.ts";
import { createActionsMasker } from "./masker.ts";
import { buildOutputs, writeOutputs } from "./outputs.ts";
import { StateFileRecorder } from "./state.ts";
import { buildSummary } from "./summary.ts";

export interface MainDeps {
  /** RUNNER_OS, RUNNER_TEMP, HOME. */
  env: Record<string, string | undefined>;
  exec: Exec;
  parseConfig: (
    raw: RawInputs,
    deps: { readFile: (path: string) => Buffer | undefined; masker: SecretMasker },
  ) => Config | Promise<Config>;
  provision: (config: Config, deps: ProvisionDeps) => Promise<ProvisionResult>;
  /** The .p12 writer (node-forge: a chunk of its own, loaded while App Store Connect answers). */
  loadPkcs12Builder: () => Promise<Pkcs12BuilderModule>;
  readFile: (path: string) => Buffer | undefined;
  /** Random hex for passwords and unique names. */
  randomHex: (bytes: number) => string;
  now: () => number;
  /** The cache behind `cache` and `cache-passphrase` (default: @actions/cache, loaded lazily). */
  cacheStore?: (logger: Logger) => CacheStore;
}

export function defaultMainDeps(): MainDeps {
  return {
    env: process.env,
    exec: createProcessExec(),
    parseConfig: loadConfig,
    provision: realProvision,
    loadPkcs12Builder: () => import("../core/signing/pkcs12-build.ts"),
    readFile: (path) => {
      try {
        return readFileSync(path);
      } catch {
        return undefined;
      }
    },
    randomHex: (bytes) => randomBytes(bytes).toString("hex"),
    now: () => Date.now(),
  };
}

/** Never throws and calls setFailed at most once, with the action's name as prefix. */
export async function runMain(overrides: Partial<MainDeps> = {}): Promise<void> {
  const deps: MainDeps = { ...defaultMainDeps(), ...overrides };
  const masker = createActionsMasker((secret) => core.setSecret(secret));
  const logger = createActionsLogger();
  let failed = false;
  const fail = (message: string): void => {
    if (failed) return;
    failed = true;
    core.setFailed(`${ACTION_NAME}: ${message}`);
  };

  try {
    // 1. Inputs, masked before anything else uses them.
    const raw = readInputs((name) => core.getInput(name));
    for (const name of ADAPTER_SECRET_INPUTS) maskSecret(masker, raw[name] ?? "");
    const cache = openCacheSession(raw, deps.env, logger, deps.cacheStore);
    try {
      await supplyCertificateKey(cache, raw, logger, masker);
    } catch (error) {
      fail(describeError(error));
      return;
    }

    // 2. Configuration: every problem reported at once.
    const problems: InputProblem[] = [];
    let config: Config | undefined;
    try {
      config = await deps.parseConfig(raw, { readFile: deps.readFile, masker });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push(...error.problems);
    }
    const options = parseInstallOptions(raw, problems);
    if (problems.length > 0 || !config) {
      fail(new InputError(problems).message);
      return;
    }
    const recorder = new StateFileRecorder((name, value) => core.saveState(name, value), options.cleanup);

    // 3. App Store Connect (or, when it cannot be reached, the last-known-good copy from the cache).
    //    The .p12's password is chosen now and its key derivations run once the reads are on the wire.
    const parsed = config;
    const p12 = options.install && parsed.mode !== "plan" ? prepareP12(deps, masker) : undefined;
    let result: ProvisionResult;
    let degraded: Degraded | undefined;
    try {
      ({ result, degraded } = await provisionWithFallback(
        cache,
        parsed,
        () => deps.provision(parsed, { logger, masker }),
        logger,
      ));
    } catch (error) {
      fail(describeError(error));
      return;
    }
    logPlan(logger, result);

    // 4–8. The runner.
    const report = emptyInstallReport();
    if (degraded) report.degraded = degraded;
    let installError: unknown;
    if (result.mode !== "plan") {
      try {
        await install({ deps, logger, masker, recorder, options, result, report, p12 });
      } catch (error) {
        installError = error;
      }
    } else logger.info("mode plan: nothing installed");

    // 9. Outputs, summary, annotations.
    writeOutputs((name, value) => core.setOutput(name, value), buildOutputs(result, report));
    await writeSummary(logger, buildSummary(result, report));
    for (const warning of expiryWarnings(result, deps.now())) core.warning(warning);
    if (installError !== undefined) fail(describeError(installError));
    else if (!degraded) await saveToCache(cache, parsed, result, logger);
  } catch (error) {
    fail(describeError(error));
  }
}

interface InstallContext {
  deps: MainDeps;
  logger: Logger;
  masker: SecretMasker;
  recorder: StateFileRecorder;
  options: InstallOptions;
  result: ProvisionResult;
  report: InstallReport;
  p12: P12Preparation | undefined;
}

async function install(ctx: InstallContext): Promise<void> {
  const { deps, logger, masker, recorder, options, result, report } = ctx;
  const env = deps.env;
  const runnerOs = env.RUNNER_OS || hostOsName();
  const runnerTemp = env.RUNNER_TEMP || tmpdir();
  const home = env.HOME || homedir();
  const runId = deps.randomHex(6);
  const work = workDirectory(runnerTemp, runId);
  const mac = isMacOs(runnerOs);
  const certificate = result.certificate;

  if (!options.install) logger.info("install: false — profiles, .p12 and keychain are not installed");
  if (options.install && result.profiles.length > 0)
    await logger.group("Install provisioning profiles", async () => {
      const dirs = profileDirectories({ runnerOs, home, runnerTemp, installDir: options.installDir });
      for (const installed of installProfiles(result.profiles, dirs, recorder, logger))
        report.profilePaths[installed.bundleId] = installed.paths[0] ?? "";
    });

  if (options.install && certificate) {
    const p12 = ctx.p12 ?? prepareP12(deps, masker);
    const p12Password = p12.password;
    const p12Path = join(work, "signing.p12");
    await logger.group("Signing certificate (.p12)", async () => {
      const build = await p12.start();
      writeP12File(
        {
          path: p12Path,
          privateKey: createPrivateKey(certificate.privateKeyPem),
          certificateDer: certificate.der,
          password: p12Password,
          friendlyName: certificate.commonName,
        },
        build,
        recorder,
      );
      logger.info(`wrote ${p12Path} (mode 0600): ${certificate.commonName}`);
    });
    report.p12Path = p12Path;
    report.p12Password = p12Password;

    if (options.keychain !== false && !mac)
      core.notice(
        `keychain: skipped on ${runnerOs}: keychains exist on macOS runners only. The identity is in the .p12 (output p12-path); set \`keychain: false\` to silence this notice.`,
      );
    if (options.keychain !== false && mac)
      await logger.group("Keychain", async () => {
        const certificatePaths = options.wwdrCertificates.map((der, index) => {
          const path = join(work, `wwdr-${index + 1}.cer`);
          writeRecordedFile(path, der, recorder);
          return path;
        });
        const keychain = await installKeychain(deps.exec, recorder, logger, {
          path: keychainPath(runnerTemp, runId),
          password: newSecret(deps, masker),
          p12Path,
          p12Password,
          makeDefault: options.keychainDefault,
          certificatePaths,
          identitySha1: certificate.sha1,
        });
        report.keychainPath = keychain.path;
      });
  }

  if (options.exportOptions && certificate && result.profiles.length > 0)
    await logger.group("ExportOptions.plist", async () => {
      const path = join(work, "ExportOptions.plist");
      const { exportOptionsFor, writeExportOptions } = await import("../core/install/export-options.ts");
      const exportOptions = exportOptionsFor(result.teamId, certificate, result.profiles);
      writeExportOptions(path, exportOptions, recorder);
      report.exportOptionsPath = path;
      logger.info(`wrote ${path} (method ${exportOptions.method})`);
    });
}

type Pkcs12BuilderModule = Pick<typeof Pkcs12Builder, "buildPkcs12" | "derivePkcs12Secrets">;

/** The .p12's password, and its builder with the costly key derivations done (started once, on demand). */
interface P12Preparation {
  password: string;
  start(): Promise<BuildPkcs12>;
}

function prepareP12(deps: MainDeps, masker: SecretMasker): P12Preparation {
  const password = newSecret(deps, masker);
  let ready: Promise<BuildPkcs12> | undefined;
  const start = (): Promise<BuildPkcs12> => {
    ready ??= deps.loadPkcs12Builder().then((builder) => {
      const secrets = builder.derivePkcs12Secrets(password);
      return (a) => builder.buildPkcs12({ ...a, secrets });
    });
    return ready;
  };
  return { password, start };
}

/** A random password, masked (with its derived forms) before it is used anywhere. */
function newSecret(deps: MainDeps, masker: SecretMasker): string {
  const secret = deps.randomHex(32);
  maskSecret(masker, secret);
  return secret;
}

/** The engine logs its plan in its own group; plan mode, whose product the plan is, repeats it last. */
function logPlan(logger: Logger, result: ProvisionResult): void {
  const count = result.plan.length;
  if (count === 0) {
    logger.info("App Store Connect: nothing to change, everything reused");
    return;
  }
  if (result.mode !== "plan") {
    logger.info(`App Store Connect: ${count} change(s) ${result.mode === "apply" ? "made" : "needed"}`);
    return;
  }
  logger.info(`App Store Connect: ${count} change(s) needed (mode plan, nothing changed):`);
  for (const step of result.plan) logger.info(`  ${step.kind} ${step.target}: ${step.reason}`);
}

/** The job summary; without GITHUB_STEP_SUMMARY (a local run) the log has the same facts. */
async function writeSummary(logger: Logger, markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) {
    logger.debug("no GITHUB_STEP_SUMMARY: job summary not written (the log has the same facts)");
    return;
  }
  try {
    await core.summary.addRaw(markdown).write();
  } catch (error) {
    core.summary.emptyBuffer();
    logger.warning(`job summary not written: ${describeError(error)}`);
  }
}

function hostOsName(): string {
  return process.platform === "darwin" ? "macOS" : process.platform === "win32" ? "Windows" : "Linux";
}
