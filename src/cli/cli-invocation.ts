// How a person runs the CLI, as every usage text and hint spells it. The package is not published: the
// CLI is the committed bundle dist/cli/index.js, which needs only Node 20 or later (no npm install), run
// from a clone of the repository. Inside the clone `npx asc-provision <command>` runs the same file.
export const CLI_COMMAND = "node dist/cli/index.js";
