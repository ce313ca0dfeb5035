// `npm run docs`: writes, from action.yml (the source of truth), the full inputs and outputs tables of
// docs/inputs.md and the short lists of the README, each between the markers <!-- inputs:start -->/
// <!-- inputs:end --> and <!-- outputs:start -->/<!-- outputs:end --> of its file.
// `node scripts/generate-docs.ts --check` changes nothing and exits 1 when a file is stale.
// There is no YAML package: action.yml's flat structure is read line by line (top-level sections, two-
// space entries, four-space scalar properties, quoted or plain, or `|`/`>` block scalars); anything else
// in `inputs`/`outputs` is an error naming the line, never a silent skip.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export interface ActionEntry {
  name: string;
  description: string;
  required: boolean;
  /** undefined when action.yml gives none. */
  default: string | undefined;
}

export interface ActionMetadata {
  inputs: ActionEntry[];
  outputs: ActionEntry[];
}

const SECTIONS = ["inputs", "outputs"] as const;
type Section = (typeof SECTIONS)[number];

export function readActionMetadata(text: string): ActionMetadata {
  const result: ActionMetadata = { inputs: [], outputs: [] };
  const lines = text.split(/\r?\n/);
  let section: Section | undefined;
  let entry: Record<string, string> | undefined;
  const entries: Record<Section, Array<[string, Record<string, string>]>> = { inputs: [], outputs: [] };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.trim() || line.trim().startsWith("#")) continue;
    const indent = line.length - line.trimStart().length;
    if (indent === 0) {
      const top = /^([A-Za-z0-9_-]+):/.exec(line)?.[1];
      section = (SECTIONS as readonly string[]).includes(top ?? "") ? (top as Section) : undefined;
      entry = undefined;
      continue;
    }
    if (!section) continue;
    const m = /^ *([A-Za-z0-9_-]+):(?: (.*))?$/.exec(line);
    if (!m) throw new Error(`action.yml line ${i + 1}: cannot read ${JSON.stringify(line)}`);
    const [, key = "", rest = ""] = m;
    if (indent === 2) {
      if (rest.trim()) throw new Error(`action.yml line ${i + 1}: ${section}.${key} should be a mapping`);
      entry = {};
      entries[section].push([key, entry]);
    } else if (indent === 4 && entry) {
      const value = rest.trim();
      if (/^[|>][+-]?$/.test(value)) {
        const block: string[] = [];
        while (i + 1 < lines.length && (!lines[i + 1]!.trim() || /^ {6}/.test(lines[i + 1]!))) {
          i++;
          block.push(lines[i]!.slice(6));
        }
        const joined = value.startsWith(">") ? foldBlock(block) : block.join("\n");
        entry[key] = joined.replace(/\n+$/, "");
      } else entry[key] = scalar(value, i + 1);
    } else throw new Error(`action.yml line ${i + 1}: unexpected indentation in ${section}`);
  }
  for (const s of SECTIONS)
    result[s] = entries[s].map(([name, props]) => ({
      name,
      description: props.description ?? "",
      required: props.required === "true",
      default: props.default,
    }));
  return result;
}

function scalar(raw: string, lineNumber: number): string {
  if (raw.startsWith('"')) {
    try {
      return JSON.parse(raw) as string;
    } catch {
      throw new Error(`action.yml line ${lineNumber}: unsupported double-quoted string ${raw}`);
    }
  }
  if (raw.startsWith("'")) return raw.slice(1, -1).replace(/''/g, "'");
  return raw.replace(/\s+#.*$/, "");
}

/** YAML folded block: lines joined by spaces, blank lines kept as paragraph breaks. */
function foldBlock(lines: string[]): string {
  return lines
    .join("\n")
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\n/g, " "))
    .join("\n\n");
}

/** A table cell: pipes escaped, newlines as <br>, and `<` outside code spans as `&lt;` (else GitHub
 * takes `AuthKey_<KEYID>.p8` for an HTML tag and hides it). */
const cell = (text: string): string =>
  text
    .split(/(`[^`]*`)/)
    .map((part) => (part.startsWith("`") ? part : part.replace(/</g, "&lt;")))
    .join("")
    .replace(/\|/g, "\\|")
    .replace(/\r?\n/g, "<br>")
    .trim();
const code = (text: string): string => (text.includes("`") ? `\`\` ${text} \`\`` : `\`${text}\``);

export function inputsTable(inputs: ActionEntry[]): string {
  return [
    "| Input | Required | Default | Description |",
    "| --- | --- | --- | --- |",
    ...inputs.map(
      (i) =>
        `| \`${i.name}\` | ${i.required ? "yes" : "no"} | ${i.default ? cell(code(i.default)) : ""} | ${cell(i.description)} |`,
    ),
  ].join("\n");
}

export function outputsTable(outputs: ActionEntry[]): string {
  return [
    "| Output | Description |",
    "| --- | --- |",
    ...outputs.map((o) => `| \`${o.name}\` | ${cell(o.description)} |`),
  ].join("\n");
}

/** The README's short lists: every name, required inputs in bold. */
export function inputsList(inputs: ActionEntry[]): string {
  return inputs.map((i) => (i.required ? `**\`${i.name}\`**` : `\`${i.name}\``)).join(", ");
}

export function outputsList(outputs: ActionEntry[]): string {
  return outputs.map((o) => `\`${o.name}\``).join(", ");
}

/** A generated file: where it is and how it renders each section. */
export interface DocTarget {
  file: string;
  inputs: (inputs: ActionEntry[]) => string;
  outputs: (outputs: ActionEntry[]) => string;
}

export const DOC_TARGETS: DocTarget[] = [
  { file: "README.md", inputs: inputsList, outputs: outputsList },
  { file: join("docs", "inputs.md"), inputs: inputsTable, outputs: outputsTable },
];

/** `text` with both sections replaced; throws when a marker pair is missing. */
export function updateDoc(text: string, metadata: ActionMetadata, target: DocTarget): string {
  let result = replaceBetween(text, target.file, "inputs", target.inputs(metadata.inputs));
  result = replaceBetween(result, target.file, "outputs", target.outputs(metadata.outputs));
  return result;
}

function replaceBetween(text: string, file: string, name: string, content: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from)
    throw new Error(`${file}: add the markers ${start} and ${end} (in that order) where the ${name} go.`);
  return `${text.slice(0, from + start.length)}\n\n${content}\n\n${text.slice(to)}`;
}

export const projectRoot = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Regenerates (or with `check`, compares) every DOC_TARGETS file; returns the exit code. */
export function generateDocs(
  options: { root?: string; check?: boolean; log?: (line: string) => void } = {},
): number {
  const root = options.root ?? projectRoot;
  const log = options.log ?? ((line: string) => console.log(line));
  const metadata = readActionMetadata(readFileSync(join(root, "action.yml"), "utf8"));
  const counts = `${metadata.inputs.length} inputs, ${metadata.outputs.length} outputs`;
  const stale: string[] = [];
  for (const target of DOC_TARGETS) {
    const path = join(root, target.file);
    const text = readFileSync(path, "utf8");
    const updated = updateDoc(text, metadata, target);
    if (updated === text) continue;
    stale.push(target.file);
    if (!options.check) writeFileSync(path, updated);
  }
  const files = DOC_TARGETS.map((t) => t.file).join(" and ");
  if (options.check) {
    if (stale.length === 0) {
      log(`${files} are up to date with action.yml (${counts}).`);
      return 0;
    }
    log(`${stale.join(" and ")} differ from action.yml: run \`npm run docs\` and commit them.`);
    return 1;
  }
  log(
    stale.length === 0 ? `${files} were already up to date.` : `${stale.join(" and ")} updated: ${counts}.`,
  );
  return 0;
}

// Run as a script, not imported by a test (`import.meta.main` only exists from Node 24.2).
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== "--check");
  if (unknown.length > 0) {
    console.error(`usage: node scripts/generate-docs.ts [--check] (unknown: ${unknown.join(" ")})`);
    process.exit(2);
  }
  process.exitCode = generateDocs({ check: args.includes("--check") });
}
