// The runner's workflow-command protocol: the 13 functions of @actions/core the adapter uses (ActionsCore),
// re-implemented on node: built-ins only.
//
// Why: `import "@actions/core"` (3.0.1) is expensive at start-up: core.js imports its OIDC client, which
// imports @actions/http-client and with it all of undici (1.6 MB), and platform.js imports @actions/exec and
// @actions/io. Measured with Node 24.21 on the project's 2-core machine: `await import("@actions/core")`
// takes 120–236 ms; importing this module takes ~20 ms, node:crypto/fs/os included. Start-up budget: 200 ms.
//
// Each rule below follows node_modules/@actions/core/lib/{core,command,file-command,utils}.js of 3.0.1,
// and test/unit/workflow-commands.test.ts holds this module to the real @actions/core byte for byte
// (stdout, GITHUB_OUTPUT/GITHUB_STATE files, process.exitCode, thrown errors). Do not "improve" it:
// quirks such as the trailing space in `::error ::msg` are the reference behaviour.
import { randomUUID } from "node:crypto";
import { appendFileSync, existsSync } from "node:fs";
import { EOL } from "node:os";
import type { ActionsCore } from "./actions-core.ts";

type AnnotationProperties = NonNullable<Parameters<ActionsCore["error"]>[1]>;
type CommandProperties = Record<string, unknown>;

// utils.js toCommandValue: null/undefined → "", strings (primitive or boxed) as is, anything else as JSON.
function toCommandValue(input: unknown): string {
  if (input === null || input === undefined) return "";
  if (typeof input === "string" || input instanceof String) return input as string;
  return JSON.stringify(input);
}

// utils.js toCommandProperties: no keys → no properties; otherwise all six keys, renamed as the runner
// expects (startLine → line, startColumn → col), undefined ones included (Command skips them).
function toCommandProperties(properties: AnnotationProperties): CommandProperties {
  if (!Object.keys(properties).length) return {};
  return {
    title: properties.title,
    file: properties.file,
    line: properties.startLine,
    endLine: properties.endLine,
    col: properties.startColumn,
    endColumn: properties.endColumn,
  };
}

// command.js escapeData / escapeProperty.
function escapeData(s: unknown): string {
  return toCommandValue(s).replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}
function escapeProperty(s: unknown): string {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

// command.js Command.toString + issueCommand: `::name k=v,k=v::message` + EOL on stdout. A non-empty
// properties object always adds the space, even when every value is falsy (skipped): `::error ::msg`.
function issueCommand(command: string, properties: CommandProperties, message: unknown): void {
  let line = `::${command}`;
  if (Object.keys(properties).length > 0) {
    line += " ";
    let first = true;
    for (const key in properties) {
      if (!Object.hasOwn(properties, key)) continue;
      const value = properties[key];
      if (!value) continue;
      line += `${first ? "" : ","}${key}=${escapeProperty(value)}`;
      first = false;
    }
  }
  line += `::${escapeData(message)}`;
  process.stdout.write(line + EOL);
}

// file-command.js prepareKeyValueMessage: a heredoc with a fresh random delimiter, refused when the key
// or value contains it.
function prepareKeyValueMessage(key: string, value: unknown): string {
  const delimiter = `ghadelimiter_${randomUUID()}`;
  const converted = toCommandValue(value);
  if (key.includes(delimiter)) {
    throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`);
  }
  if (converted.includes(delimiter)) {
    throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`);
  }
  return `${key}<<${delimiter}${EOL}${converted}${EOL}${delimiter}`;
}

// file-command.js issueFileCommand: append to the file named by GITHUB_<command>, which must exist.
function issueFileCommand(command: "OUTPUT" | "STATE", message: string): void {
  const filePath = process.env[`GITHUB_${command}`];
  if (!filePath) throw new Error(`Unable to find environment variable for file command ${command}`);
  if (!existsSync(filePath)) throw new Error(`Missing file at path: ${filePath}`);
  appendFileSync(filePath, `${toCommandValue(message)}${EOL}`, { encoding: "utf8" });
}

// core.js error / warning / notice: Errors become their toString().
function annotate(
  command: "error" | "warning" | "notice",
  message: string | Error,
  properties: AnnotationProperties = {},
): void {
  issueCommand(
    command,
    toCommandProperties(properties),
    message instanceof Error ? message.toString() : message,
  );
}

// core.js, function by function. process.env is read at each call, never at import.
export const workflowCommands: ActionsCore = {
  getInput(name, options) {
    const val = process.env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] || "";
    // `required` is checked before trimming, as core does: whitespace alone passes and returns "".
    if (options?.required && !val) throw new Error(`Input required and not supplied: ${name}`);
    if (options?.trimWhitespace === false) return val;
    return val.trim();
  },
  setOutput(name, value: unknown) {
    if (process.env.GITHUB_OUTPUT) return issueFileCommand("OUTPUT", prepareKeyValueMessage(name, value));
    // Legacy stdout command: core writes a bare EOL first.
    process.stdout.write(EOL);
    issueCommand("set-output", { name }, toCommandValue(value));
  },
  setSecret(secret) {
    issueCommand("add-mask", {}, secret);
  },
  saveState(name, value: unknown) {
    if (process.env.GITHUB_STATE) return issueFileCommand("STATE", prepareKeyValueMessage(name, value));
    issueCommand("save-state", { name }, toCommandValue(value));
  },
  getState(name) {
    return process.env[`STATE_${name}`] || "";
  },
  setFailed(message) {
    process.exitCode = 1;
    annotate("error", message);
  },
  debug(message) {
    issueCommand("debug", {}, message);
  },
  info(message) {
    process.stdout.write(message + EOL);
  },
  notice(message, properties) {
    annotate("notice", message, properties);
  },
  warning(message, properties) {
    annotate("warning", message, properties);
  },
  error(message, properties) {
    annotate("error", message, properties);
  },
  startGroup(name) {
    issueCommand("group", {}, name);
  },
  endGroup() {
    issueCommand("endgroup", {}, "");
  },
};
