import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Says once per run whether ../shared (Apple's spec, fixtures, samples) is missing; files only skip.
    globalSetup: ["test/support/shared-notice.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    reporters: ["default"],
  },
});
