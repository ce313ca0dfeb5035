// The effects of the local CLI, passed in so that tests run every command without a terminal, a real
// account or files outside a temp folder.

import type { KeyObject } from "node:crypto";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import type { Dispatcher } from "undici";
import type { Config } from "../core/config.ts";
import { type ProvisionDeps, provision } from "../core/provision.ts";
import type { ProvisionResult } from "../core/result.ts";
import { generateCertificateKey } from "../core/signing/key-generation.ts";

export interface CliDeps {
  /** Results: what a script pipes on (the plan, the gh command that stores a key); never a secret. */
  stdout: (text: string) => void;
  /** Progress, notes and errors, for the person at the terminal. */
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
  /** undefined when there is no such file. */
  readFile: (path: string) => Buffer | undefined;
  exists: (path: string) => boolean;
  /** Writes a secret file with mode 0600; `overwrite` false fails when the file exists. */
  writeSecretFile: (path: string, content: string, overwrite: boolean) => void;
  generateKey: () => KeyObject;
  provision: (config: Config, deps: ProvisionDeps) => Promise<ProvisionResult>;
  /** undici dispatcher for App Store Connect; the default honours HTTPS_PROXY/HTTP_PROXY/NO_PROXY. */
  dispatcher?: Dispatcher;
}

export function nodeCliDeps(): CliDeps {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    readFile: (path) => {
      try {
        return readFileSync(path);
      } catch {
        return undefined;
      }
    },
    exists: (path) => existsSync(path),
    writeSecretFile: (path, content, overwrite) => {
      // `mode` applies only when the file is created: an overwritten file keeps its mode unless narrowed
      // first, before the key is written into it.
      if (overwrite && existsSync(path)) chmodSync(path, 0o600);
      writeFileSync(path, content, { mode: 0o600, flag: overwrite ? "w" : "wx" });
    },
    generateKey: generateCertificateKey,
    provision,
  };
}
