// The README and docs/inputs.md stay true to action.yml: docs/inputs.md's tables and the README's short
// lists are the generator's output (checked by running `node scripts/generate-docs.ts --check`, as CI
// would), a change to any row of action.yml makes the check fail, the snippets use only real inputs and
// outputs, and the README keeps the order and the answers a first-hour reader needs, in ≤ 2,000 words.
// (Links are checked in doc-links.test.ts.)
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  type ActionMetadata,
  DOC_TARGETS,
  generateDocs,
  inputsList,
  inputsTable,
  projectRoot,
  readActionMetadata,
  updateDoc,
} from "../../scripts/generate-docs.ts";
import { markdownFiles } from "../support/markdown-docs.ts";

const read = (file: string): string => readFileSync(join(projectRoot, file), "utf8");
const readme = read("README.md");
const inputsDoc = read(join("docs", "inputs.md"));
const action = readActionMetadata(read("action.yml"));
const temps: string[] = [];

afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), "asc-provision-docs-"));
  temps.push(dir);
  mkdirSync(join(dir, "docs"));
  for (const file of ["README.md", "action.yml", join("docs", "inputs.md")])
    cpSync(join(projectRoot, file), join(dir, file));
  return dir;
}

/** Whether every generated file, regenerated from `metadata`, is byte for byte what is committed. */
function docsMatch(metadata: ActionMetadata): boolean {
  return DOC_TARGETS.every((t) => updateDoc(read(t.file), metadata, t) === read(t.file));
}

const clone = (m: ActionMetadata): ActionMetadata => JSON.parse(JSON.stringify(m)) as ActionMetadata;

describe("npm run docs", () => {
  it("--check passes on the committed README and docs/inputs.md (they match action.yml)", () => {
    const run = spawnSync(process.execPath, [join(projectRoot, "scripts", "generate-docs.ts"), "--check"], {
      cwd: projectRoot,
      encoding: "utf8",
    });
    expect(run.stdout + run.stderr).toContain("up to date");
    expect(run.status).toBe(0);
  });

  it("--check fails when action.yml gains an input, and a run fixes both files", () => {
    const dir = tempCopy();
    const yml = readFileSync(join(dir, "action.yml"), "utf8").replace(
      "\noutputs:\n",
      '\n  brand-new:\n    description: "A new input | with a pipe."\n    required: true\n    default: "x"\n\noutputs:\n',
    );
    writeFileSync(join(dir, "action.yml"), yml);
    const log: string[] = [];
    expect(generateDocs({ root: dir, check: true, log: (l) => log.push(l) })).toBe(1);
    expect(log.join("\n")).toMatch(/README\.md and docs\/inputs\.md differ.*npm run docs/);
    expect(generateDocs({ root: dir, log: () => {} })).toBe(0);
    expect(readFileSync(join(dir, "docs", "inputs.md"), "utf8")).toContain(
      "| `brand-new` | yes | `x` | A new input \\| with a pipe. |",
    );
    expect(readFileSync(join(dir, "README.md"), "utf8")).toContain("`cleanup`, **`brand-new`**");
    expect(generateDocs({ root: dir, check: true, log: () => {} })).toBe(0);
  });

  it("--check fails when a description changes in action.yml, or a table is edited by hand", () => {
    const dir = tempCopy();
    const yml = readFileSync(join(dir, "action.yml"), "utf8");
    writeFileSync(join(dir, "action.yml"), yml.replace("Apple Developer team ID.", "The team ID."));
    expect(generateDocs({ root: dir, check: true, log: () => {} })).toBe(1);
    writeFileSync(join(dir, "action.yml"), yml);
    expect(generateDocs({ root: dir, check: true, log: () => {} })).toBe(0);
    const doc = readFileSync(join(dir, "docs", "inputs.md"), "utf8");
    writeFileSync(
      join(dir, "docs", "inputs.md"),
      doc.replace("| `mode` | no | `apply` |", "| `mode` | no | `plan` |"),
    );
    expect(generateDocs({ root: dir, check: true, log: () => {} })).toBe(1);
  });

  it("any change to any input or output row of action.yml makes the committed docs stale", () => {
    expect(docsMatch(action)).toBe(true);
    const stale: string[] = [];
    const expectStale = (what: string, change: (m: ActionMetadata) => void): void => {
      const m = clone(action);
      change(m);
      if (docsMatch(m)) stale.push(what);
    };
    action.inputs.forEach((input, i) => {
      expectStale(`${input.name}: description`, (m) => {
        m.inputs[i]!.description += " More.";
      });
      expectStale(`${input.name}: default`, (m) => {
        m.inputs[i]!.default = `${input.default ?? ""}x`;
      });
      expectStale(`${input.name}: required`, (m) => {
        m.inputs[i]!.required = !input.required;
      });
      expectStale(`${input.name}: removed`, (m) => {
        m.inputs.splice(i, 1);
      });
      expectStale(`${input.name}: renamed`, (m) => {
        m.inputs[i]!.name = `${input.name}-x`;
      });
    });
    action.outputs.forEach((output, i) => {
      expectStale(`${output.name}: description`, (m) => {
        m.outputs[i]!.description += " More.";
      });
      expectStale(`${output.name}: removed`, (m) => {
        m.outputs.splice(i, 1);
      });
      expectStale(`${output.name}: renamed`, (m) => {
        m.outputs[i]!.name = `${output.name}-x`;
      });
    });
    // Every change above must have been caught: the list of uncaught ones is empty.
    expect(stale).toEqual([]);
  });

  it("reads quoted, plain and block-scalar properties, and refuses what it cannot read", () => {
    const metadata = readActionMetadata(
      [
        "name: x",
        "inputs:",
        "  plain:",
        "    description: Plain text # a comment",
        "    required: true",
        "  folded:",
        "    description: >",
        "      Folded",
        "      text.",
        "    default: 'it''s'",
        "outputs:",
        "  literal:",
        "    description: |",
        "      Line one",
        "      line two",
        "runs:",
        "  using: node24",
      ].join("\n"),
    );
    expect(metadata.inputs).toEqual([
      { name: "plain", description: "Plain text", required: true, default: undefined },
      { name: "folded", description: "Folded text.", required: false, default: "it's" },
    ]);
    expect(metadata.outputs[0]?.description).toBe("Line one\nline two");
    expect(inputsTable(metadata.inputs)).toContain("| `folded` | no | `it's` | Folded text. |");
    expect(inputsList(metadata.inputs)).toBe("**`plain`**, `folded`");
    expect(() => readActionMetadata("inputs:\n  - name: list-style\n")).toThrow(/line 2/);
  });

  it("escapes what would break a table or hide text, and needs its markers", () => {
    const table = inputsTable([
      {
        name: "key",
        description: "The AuthKey_<KEYID>.p8, `a|b` or c|d",
        required: false,
        default: undefined,
      },
    ]);
    expect(table).toContain("AuthKey_&lt;KEYID>.p8, `a\\|b` or c\\|d");
    expect(() => updateDoc("# no markers\n", action, DOC_TARGETS[1]!)).toThrow(
      /docs.inputs\.md.*inputs:start/,
    );
  });
});

describe("README.md and docs/inputs.md", () => {
  it("name every input and output of action.yml: the README in its lists, docs/inputs.md in a row each", () => {
    for (const entry of [...action.inputs, ...action.outputs]) {
      expect(readme).toContain(`\`${entry.name}\``);
      expect(inputsDoc).toContain(`| \`${entry.name}\` |`);
    }
  });

  it("the README is at most 2,000 words, generated lists included", () => {
    const words = readme.split(/\s+/).filter(Boolean).length;
    expect(words).toBeLessThanOrEqual(2000);
  });

  it("opens with one short sentence and the workflow step, before the quick start", () => {
    const top = readme.split("\n## ")[0]!;
    const sentence = top
      .split("\n")
      .find((l) => /^[A-Z]/.test(l))
      ?.split(/(?<=\.)\s/)[0];
    expect(sentence?.split(/\s+/).length).toBeLessThanOrEqual(30);
    expect(top).toMatch(/```yaml\n- id: signing\n\s+uses: asc-provision\/asc-provision@v1\n/);
  });

  it("keeps its sections in order: users first, contributors after", () => {
    const headings = [...readme.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    expect(headings).toEqual([
      "Quick start",
      "Zero-config from the Xcode project",
      "Examples",
      "Inputs and outputs",
      "What it changes in App Store Connect",
      "Questions from the first hour",
      "Local CLI",
      "Contributing",
      "Versioning",
      "License",
    ]);
  });

  it("gives contributors exactly the two quick-start commands", () => {
    const section = readme.split("## Contributing")[1]?.split("\n## ")[0] ?? "";
    const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? "";
    expect(block.trim().split("\n")).toEqual(["npm ci && npm run demo", "npm test"]);
    expect(section).toMatch(/Node 20 or later and npm on the PATH/);
  });

  it("links every example and the answers a first-hour reader looks for", () => {
    for (const example of readdirSync(join(projectRoot, "examples")))
      expect(readme, example).toContain(`(examples/${example})`);
    for (const link of [
      "docs/faq.md#which-runner-versions-run-it-github-enterprise-server",
      "docs/faq.md#which-app-store-connect-role-does-the-key-need",
      "docs/faq.md#why-not-xcodebuild--allowprovisioningupdates-automatic-signing",
      "docs/faq.md#x-does-not-support-provisioning-profiles-from-a-swift-package-or-a-pod",
      "docs/faq.md#the-bundle-id-belongs-to-another-team",
      "docs/faq.md#a-signing-key-or-api-key-leaked",
      "docs/faq.md#a-matrix-of-apps-sharing-one-api-key-how-much-of-the-quota-does-a-run-use",
      "docs/security-model.md#readonly-is-a-mode-not-a-permission",
      "docs/troubleshooting.md#apple-developer-enterprise-program-in-house",
      "docs/troubleshooting.md#developer-id",
      "docs/macos-keychain.md",
      "docs/inputs.md",
      "docs/performance.md",
      "docs/reliability.md",
      "docs/zero-config.md",
      "docs/cli.md",
    ])
      expect(readme, link).toContain(`(${link})`);
  });

  it("uses only real inputs and outputs in its snippets (README and docs/)", () => {
    const inputs = new Set(action.inputs.map((i) => i.name));
    const outputs = new Set(action.outputs.map((o) => o.name));
    let snippets = 0;
    for (const doc of markdownFiles(projectRoot)) {
      const text = read(doc);
      for (const block of text.matchAll(/```ya?ml\n([\s\S]*?)```/g)) {
        const lines = block[1]!.split("\n");
        lines.forEach((line, i) => {
          if (!/uses:\s*asc-provision\/asc-provision@v1\s*$/.test(line)) return;
          snippets++;
          const withIndex = lines.findIndex((l, j) => j > i && /^\s*with:\s*$/.test(l));
          if (withIndex < 0) return;
          const depth = (lines[withIndex + 1] ?? "").search(/\S/);
          for (const l of lines.slice(withIndex + 1)) {
            if (l.trim() && l.search(/\S/) < depth) break;
            const key = l.search(/\S/) === depth ? /^\s*([a-z0-9-]+):/.exec(l)?.[1] : undefined;
            if (key) expect(inputs.has(key), `${doc}: input ${key}`).toBe(true);
          }
        });
        for (const ref of block[1]!.matchAll(/steps\.signing\.outputs\.([a-z0-9-]+)/g))
          expect(outputs.has(ref[1]!), `${doc}: output ${ref[1]}`).toBe(true);
      }
    }
    expect(snippets).toBeGreaterThanOrEqual(3);
  });
});
