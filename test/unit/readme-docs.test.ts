// The README stays true to action.yml: its inputs/outputs tables are the generator's output (checked
// by running `node scripts/generate-docs.ts --check`, as CI would), its snippets use only real inputs
// and outputs, its links resolve, and its sections keep the order readers rely on.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  generateDocs,
  inputsTable,
  projectRoot,
  readActionMetadata,
  updateReadme,
} from "../../scripts/generate-docs.ts";

const readme = readFileSync(join(projectRoot, "README.md"), "utf8");
const action = readActionMetadata(readFileSync(join(projectRoot, "action.yml"), "utf8"));
const temps: string[] = [];

afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), "asc-provision-docs-"));
  temps.push(dir);
  for (const file of ["README.md", "action.yml"]) cpSync(join(projectRoot, file), join(dir, file));
  return dir;
}

describe("npm run docs", () => {
  it("--check passes on the committed README (the tables match action.yml)", () => {
    const run = spawnSync(process.execPath, [join(projectRoot, "scripts", "generate-docs.ts"), "--check"], {
      cwd: projectRoot,
      encoding: "utf8",
    });
    expect(run.stdout + run.stderr).toContain("up to date");
    expect(run.status).toBe(0);
  });

  it("--check fails when action.yml gains an input, and a run fixes the README", () => {
    const dir = tempCopy();
    const yml = readFileSync(join(dir, "action.yml"), "utf8").replace(
      "\noutputs:\n",
      '\n  brand-new:\n    description: "A new input | with a pipe."\n    required: false\n    default: "x"\n\noutputs:\n',
    );
    writeFileSync(join(dir, "action.yml"), yml);
    const log: string[] = [];
    expect(generateDocs({ root: dir, check: true, log: (l) => log.push(l) })).toBe(1);
    expect(log.join("\n")).toContain("npm run docs");
    expect(generateDocs({ root: dir, log: () => {} })).toBe(0);
    expect(readFileSync(join(dir, "README.md"), "utf8")).toContain(
      "| `brand-new` | no | `x` | A new input \\| with a pipe. |",
    );
    expect(generateDocs({ root: dir, check: true, log: () => {} })).toBe(0);
  });

  it("--check fails when a description changes", () => {
    const dir = tempCopy();
    const yml = readFileSync(join(dir, "action.yml"), "utf8").replace(
      "Apple Developer team ID.",
      "The Apple Developer team ID.",
    );
    writeFileSync(join(dir, "action.yml"), yml);
    expect(generateDocs({ root: dir, check: true, log: () => {} })).toBe(1);
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
    expect(() => updateReadme("# no markers\n", action)).toThrow(/inputs:start/);
  });
});

describe("README.md", () => {
  it("lists every input and output of action.yml", () => {
    for (const entry of [...action.inputs, ...action.outputs])
      expect(readme).toContain(`| \`${entry.name}\` |`);
  });

  it("keeps its sections in order", () => {
    const headings = [...readme.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    const expected = [
      "Quick start",
      "Usage",
      "Inputs",
      "Outputs",
      "Permissions and security",
      "How idempotency and repair work",
      "Troubleshooting",
      "Reliability and security",
      "Performance",
      "Migrating from fastlane match",
      "Local bootstrap (CLI)",
      "Versioning",
    ];
    expect(headings.filter((h) => expected.includes(h ?? ""))).toEqual(expected);
  });

  it("has exactly two quick-start commands", () => {
    const quickStart = readme.split("## Quick start")[1]?.split("## ")[0] ?? "";
    const block = /```sh\n([\s\S]*?)```/.exec(quickStart)?.[1] ?? "";
    expect(block.trim().split("\n")).toEqual(["npm ci && npm run demo", "npm test"]);
  });

  it("links to files that exist, and to every example", () => {
    const docs = ["README.md", ...readdirSync(join(projectRoot, "docs")).map((f) => join("docs", f))];
    for (const doc of docs) {
      const text = readFileSync(join(projectRoot, doc), "utf8");
      for (const link of text.matchAll(/\]\((?!https?:|#|mailto:)([^)#\s]+)[^)]*\)/g)) {
        const target = join(projectRoot, dirname(doc), link[1]!);
        expect(existsSync(target), `${doc} links to ${link[1]}`).toBe(true);
      }
    }
    for (const example of readdirSync(join(projectRoot, "examples")))
      expect(readme, example).toContain(`(examples/${example})`);
  });

  it("uses only real inputs and outputs in its snippets (README and docs/)", () => {
    const inputs = new Set(action.inputs.map((i) => i.name));
    const outputs = new Set(action.outputs.map((o) => o.name));
    const docs = ["README.md", ...readdirSync(join(projectRoot, "docs")).map((f) => join("docs", f))];
    let snippets = 0;
    for (const doc of docs) {
      const text = readFileSync(join(projectRoot, doc), "utf8");
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
