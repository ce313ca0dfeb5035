// The engine entry point: read → plan → apply (being written by the lead).
import type { Dispatcher } from "undici";
import type { Config } from "./config.ts";
import type { Clock, Logger, SecretMasker, Sleep } from "./ports.ts";
import type { ProvisionResult } from "./result.ts";

export interface ProvisionDeps {
  logger: Logger;
  masker: SecretMasker;
  clock?: Clock;
  sleep?: Sleep;
  dispatcher?: Dispatcher;
}

export async function provision(_config: Config, _deps: ProvisionDeps): Promise<ProvisionResult> {
  throw new Error("provision: not implemented yet");
}
