// Locates ../shared (Apple's spec, fixtures and samples). Nothing from it is copied into the project.
// ASC_SHARED_DIR points elsewhere; when it is absent (a fresh clone), the tests that need it skip with
// a message saying how to get it, printed once per run by shared-notice.ts (vitest's globalSetup). The
// project's CI always has it and sets ASC_REQUIRE_SHARED=1 (.ci/run), which makes its absence a failure
// instead of a skip. Nothing here or in a test file may read ../shared at collection time (module top
// level or a describe body): read it inside `it` or `beforeAll`.
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

export const sharedDir: string = resolve(process.env.ASC_SHARED_DIR ?? join(projectRoot, "..", "shared"));

export const hasShared: boolean = existsSync(join(sharedDir, "asc", "openapi.oas.json"));

export const sharedMissingMessage = `../shared/asc (Apple's App Store Connect OpenAPI spec, fixtures and samples) not found at ${sharedDir}. Download Apple's spec from https://developer.apple.com/sample-code/app-store-connect/app-store-connect-openapi-specification.zip, unpack it as <dir>/asc/openapi.oas.json and set ASC_SHARED_DIR=<dir>.`;

export const sharedPath = (...parts: string[]): string => join(sharedDir, ...parts);

/** The Xcode project corpus (../shared/xcode): four real projects with their EXPECTED.md. */
export const hasSharedXcode: boolean = existsSync(join(sharedDir, "xcode", "README.md"));
