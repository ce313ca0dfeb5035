// The post step's half of configure-project: a `restore` entry puts the original project file back only
// when the file is still what main wrote; otherwise it warns and leaves it (never fails).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { undoRecordedEntries } from "../../src/core/cleanup.ts";
import type { CleanupEntry, Exec } from "../../src/core/ports.ts";
import { silentLogger } from "../../src/core/ports.ts";
import { sha256 } from "../../src/core/xcode/project-signing-write.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const noExec: Exec = {
  run: async () => {
    throw new Error("no command expected");
  },
};

function written(): { path: string; backup: string; entries: CleanupEntry[] } {
  const dir = mkdtempSync(join(tmpdir(), "asc-provision-restore-"));
  dirs.push(dir);
  const path = join(dir, "project.pbxproj");
  const backup = join(dir, "backup.pbxproj");
  writeFileSync(backup, "original");
  writeFileSync(path, "signed");
  return {
    path,
    backup,
    entries: [
      { kind: "file", path: backup },
      { kind: "restore", path, backup, writtenSha256: sha256("signed") },
    ],
  };
}

describe("restore entries", () => {
  it("put the original bytes back, then the backup is removed", async () => {
    const { path, backup, entries } = written();
    const report = await undoRecordedEntries(entries, { exec: noExec, logger: silentLogger });
    expect(readFileSync(path, "utf8")).toBe("original");
    expect(() => readFileSync(backup)).toThrow();
    expect(report).toEqual({ undone: 2, warnings: [] });
  });

  it("leave a file changed since main wrote it, with a warning", async () => {
    const { path, entries } = written();
    writeFileSync(path, "edited by a later step");
    const report = await undoRecordedEntries(entries, { exec: noExec, logger: silentLogger });
    expect(readFileSync(path, "utf8")).toBe("edited by a later step");
    expect(report.warnings).toHaveLength(1);
    expect(report.warnings[0]).toContain("changed after the action wrote it");
  });
});
