// Inputs and a stand-in engine for adapter scenarios.
import type { MainDeps } from "../../../src/action/run-main.ts";
import type { Config } from "../../../src/core/config.ts";
import type { ProvisionResult } from "../../../src/core/result.ts";
import { testKeys } from "../../support/keys.ts";
import { MAIN_BUNDLE_ID, WIDGET_BUNDLE_ID } from "./canned-result.ts";

export function baseInputs(extra: Record<string, string> = {}): Record<string, string> {
  const { apiKeyPem, signingKeyPem } = testKeys();
  return {
    "issuer-id": "57246542-96fe-1a63-e053-0824d011072a",
    "key-id": "2X9R4HXF34",
    "private-key": apiKeyPem,
    "bundle-ids": `${MAIN_BUNDLE_ID}\n${WIDGET_BUNDLE_ID}`,
    "certificate-private-key": signingKeyPem,
    ...extra,
  };
}

export interface FakeEngine {
  provision: MainDeps["provision"];
  configs: Config[];
}

/** Returns `result` (or throws `error`), remembering the configs it was called with. */
export function fakeEngine(outcome: { result: ProvisionResult } | { error: unknown }): FakeEngine {
  const configs: Config[] = [];
  return {
    configs,
    provision: async (config) => {
      configs.push(config);
      if ("error" in outcome) throw outcome.error;
      return outcome.result;
    },
  };
}
