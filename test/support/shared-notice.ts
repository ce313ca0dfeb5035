// Vitest globalSetup: says once per run, not once per file, that ../shared is missing and what skips
// because of it. With ASC_REQUIRE_SHARED=1 (the project's CI, .ci/run) its absence fails the run instead.
// Test files only skip (`describe.skipIf(!hasShared)`) and read ../shared inside `it`/`beforeAll`.
import { hasShared, hasSharedXcode, sharedDir, sharedMissingMessage } from "./shared-dir.ts";

export default function setup(): void {
  const required = process.env.ASC_REQUIRE_SHARED === "1";
  if (required && !hasSharedXcode)
    throw new Error(`ASC_REQUIRE_SHARED=1 but the Xcode projects are missing at ${sharedDir}/xcode`);
  if (hasShared && !hasSharedXcode)
    console.log(
      `\nNote: the tests that read the Xcode project corpus are skipped: ${sharedDir}/xcode not found.\n`,
    );
  if (hasShared) return;
  if (required) {
    throw new Error(`ASC_REQUIRE_SHARED=1 but Apple's spec is missing at ${sharedDir}/asc/openapi.oas.json`);
  }
  console.log(
    `\nNote: the tests that read Apple's spec, fixtures and samples and the Xcode project corpus are skipped, and the fake server does not validate against the spec: ${sharedMissingMessage}\n`,
  );
}
