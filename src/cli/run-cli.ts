// The CLI's dispatcher: `node dist/cli/index.js <command> [flags]`. Returns the exit code: 0 done, 1 failed
// (bad key, App Store Connect error), 2 wrong usage. Errors name the flag and the fix; secrets are
// redacted from everything printed.
import { describeError, InputError } from "../core/errors.ts";
import { VERSION } from "../core/version.ts";
import type { CliDeps } from "./cli-deps.ts";
import { CLI_COMMAND } from "./cli-invocation.ts";
import { type CliOutput, createCliOutput } from "./cli-logger.ts";
import { generateKeyCommand, generateKeyUsage } from "./command-generate-key.ts";
import { planCommand, planUsage } from "./command-plan.ts";
import { secretsCommand, secretsUsage } from "./command-secrets.ts";
import { UsageError } from "./parse-flags.ts";

type Command = (args: string[], deps: CliDeps, output: CliOutput) => number | Promise<number>;

const COMMANDS: Record<string, { run: Command; usage: string; summary: string }> = {
  "generate-key": {
    run: generateKeyCommand,
    usage: generateKeyUsage,
    summary: "write a new RSA 2048 signing key to a file (mode 0600) and print the gh command that stores it",
  },
  secrets: {
    run: secretsCommand,
    usage: secretsUsage,
    summary: "list the repository secrets and variables to add, with the gh commands",
  },
  plan: {
    run: planCommand,
    usage: planUsage,
    summary: "show what the action would change in App Store Connect (changes nothing)",
  },
};

export const mainUsage = `asc-provision ${VERSION}: local bootstrap for the asc-provision GitHub Action.

Usage: ${CLI_COMMAND} <command> [flags]

Run it from a clone of the repository, with Node 20 or later (no npm install needed); inside the clone
\`npx asc-provision <command>\` runs the same file.

Commands:
${Object.entries(COMMANDS)
  .map(([name, command]) => `  ${name.padEnd(14)} ${command.summary}`)
  .join("\n")}

Run \`${CLI_COMMAND} <command> --help\` for a command's flags.
`;

export async function runCli(argv: string[], deps: CliDeps): Promise<number> {
  const [name, ...args] = argv;
  if (name === "--version" || name === "-V") {
    deps.stdout(`${VERSION}\n`);
    return 0;
  }
  if (name === "--help" || name === "-h" || name === "help") {
    const topic = args[0] ? COMMANDS[args[0]] : undefined;
    deps.stdout(topic ? topic.usage : mainUsage);
    return 0;
  }
  const command = name ? COMMANDS[name] : undefined;
  if (!command) {
    deps.stderr(`${name ? `asc-provision: unknown command "${name}"\n\n` : ""}${mainUsage}`);
    return 2;
  }
  const verbose = args.includes("--verbose") || args.includes("-v");
  const output = createCliOutput(deps.stderr, { verbose });
  try {
    return await command.run(args, deps, output);
  } catch (error) {
    if (error instanceof UsageError) {
      deps.stderr(
        `asc-provision ${name}: ${error.message}\nRun \`${CLI_COMMAND} ${name} --help\` for usage.\n`,
      );
      return 2;
    }
    if (error instanceof InputError) {
      const lines = error.problems.map((problem) => `  --${problem.input}: ${problem.message}`);
      deps.stderr(
        output.redact(`asc-provision ${name}: ${error.problems.length} problem(s):\n${lines.join("\n")}\n`),
      );
      return 1;
    }
    deps.stderr(output.redact(`asc-provision ${name}: ${describeError(error)}\n`));
    return 1;
  }
}
