// Installing a provisioning result on the runner: profiles into their folders, the certificate and key
// as a .p12, on macOS a keychain, and ExportOptions.plist. Every file and keychain is recorded for post.
import { join } from "node:path";
import type { Exec, Logger, SecretMasker, StateRecorder } from "../ports.ts";
import type { CertificateResult, ProvisionResult } from "../result.ts";
import { maskSecret } from "../secret-forms.ts";
import { exportOptionsFor, writeExportOptions } from "./export-options.ts";
import type { InstallOptions } from "./install-options.ts";
import { installKeychain } from "./keychain.ts";
import { writeP12File } from "./p12-file.ts";
import { isMacOs, keychainPath, profileDirectories, workDirectory } from "./paths.ts";
import { installProfiles } from "./profiles-install.ts";
import { writeRecordedFile } from "./recorded-files.ts";

/** Where the runner keeps things: RUNNER_OS, HOME, RUNNER_TEMP. */
export interface RunnerLocation {
  runnerOs: string;
  home: string;
  runnerTemp: string;
}

export interface InstallPorts {
  exec: Exec;
  recorder: StateRecorder;
  logger: Logger;
  masker: SecretMasker;
  /** Random hex for passwords and unique names. */
  randomHex: (bytes: number) => string;
}

/** What was put on the runner, for outputs and the summary. */
export interface InstallReport {
  /** Bundle ID → path of its installed profile (the first folder written). */
  profilePaths: Record<string, string>;
  keychainPath?: string;
  p12Path?: string;
  /** Random, masked. */
  p12Password?: string;
  exportOptionsPath?: string;
  /** For the user, once (an annotation): e.g. why the keychain was skipped. */
  notices: string[];
}

export const emptyInstallReport = (): InstallReport => ({ profilePaths: {}, notices: [] });

export async function installOnRunner(
  result: ProvisionResult,
  options: InstallOptions,
  runner: RunnerLocation,
  ports: InstallPorts,
  /** Filled as things are installed, so that a failure half-way still reports what was done. */
  report: InstallReport = emptyInstallReport(),
): Promise<InstallReport> {
  const { logger, recorder } = ports;
  if (!options.install) {
    logger.info("install: false — profiles, .p12 and keychain are not installed");
    return report;
  }
  const runId = ports.randomHex(6);
  const work = workDirectory(runner.runnerTemp, runId);
  const certificate = result.certificate;

  if (result.profiles.length > 0)
    await logger.group("Install provisioning profiles", async () => {
      const dirs = profileDirectories({ ...runner, installDir: options.installDir });
      for (const installed of installProfiles(result.profiles, dirs, recorder, logger))
        report.profilePaths[installed.bundleId] = installed.paths[0] ?? "";
    });
  if (!certificate) return report;

  const p12Path = join(work, "signing.p12");
  const p12Password = newSecret(ports);
  await logger.group("Signing certificate (.p12)", async () => {
    writeP12File(
      {
        path: p12Path,
        privateKey: certificate.privateKey,
        certificateDer: certificate.der,
        password: p12Password,
        friendlyName: certificate.commonName,
      },
      recorder,
    );
    logger.info(`wrote ${p12Path} (mode 0600): ${certificate.commonName}`);
  });
  report.p12Path = p12Path;
  report.p12Password = p12Password;

  // auto (the default) off macOS means no keychain, said only in the debug log; an explicit
  // `keychain: true` there gets a notice that it was not honoured.
  if (options.keychain === true && !isMacOs(runner.runnerOs))
    report.notices.push(
      `keychain: skipped on ${runner.runnerOs}: keychains exist on macOS runners only. The identity is in the .p12 (output p12-path).`,
    );
  else if (options.keychain === "auto" && !isMacOs(runner.runnerOs))
    logger.debug(`keychain: none on ${runner.runnerOs} (auto); the identity is in the .p12`);
  if (options.keychain !== false && isMacOs(runner.runnerOs))
    report.keychainPath = await logger.group("Keychain", () =>
      installIdentityKeychain(certificate, { p12Path, p12Password, work, runId }, options, runner, ports),
    );

  if (options.exportOptions && result.profiles.length > 0)
    await logger.group("ExportOptions.plist", async () => {
      const path = join(work, "ExportOptions.plist");
      const exportOptions = exportOptionsFor(result.teamId, certificate, result.profiles);
      writeExportOptions(path, exportOptions, recorder);
      report.exportOptionsPath = path;
      logger.info(`wrote ${path} (method ${exportOptions.method})`);
    });
  return report;
}

/** A keychain of this run's own with the identity (and the WWDR certificates given); returns its path. */
async function installIdentityKeychain(
  certificate: CertificateResult,
  p12: { p12Path: string; p12Password: string; work: string; runId: string },
  options: InstallOptions,
  runner: RunnerLocation,
  ports: InstallPorts,
): Promise<string> {
  const certificatePaths = options.wwdrCertificates.map((der, index) => {
    const path = join(p12.work, `wwdr-${index + 1}.cer`);
    writeRecordedFile(path, der, ports.recorder);
    return path;
  });
  const keychain = await installKeychain(ports.exec, ports.recorder, ports.logger, {
    path: keychainPath(runner.runnerTemp, p12.runId),
    password: newSecret(ports),
    p12Path: p12.p12Path,
    p12Password: p12.p12Password,
    makeDefault: options.keychainDefault,
    certificatePaths,
    identitySha1: certificate.sha1,
  });
  return keychain.path;
}

/** A random password, masked (with its derived forms) before it is used anywhere. */
function newSecret(ports: InstallPorts): string {
  const secret = ports.randomHex(32);
  maskSecret(ports.masker, secret);
  return secret;
}
