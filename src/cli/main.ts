#!/usr/bin/env node
// Entry point of the `asc-provision` command (bundled into dist/cli/index.js). No logic here.
import { nodeCliDeps } from "./cli-deps.ts";
import { runCli } from "./run-cli.ts";

process.exitCode = await runCli(process.argv.slice(2), nodeCliDeps());
