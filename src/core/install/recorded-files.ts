// File writes that record themselves for the post step, right after each side effect.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { StateRecorder } from "../ports.ts";

/** Creates `dir` (and missing parents) and records each level it created, outermost first, so that the
 * post step removes them innermost first (and only when empty). */
export function ensureDirectory(dir: string, recorder: StateRecorder, mode = 0o755): void {
  const target = resolve(dir);
  const missing: string[] = [];
  for (let current = target; !existsSync(current); current = dirname(current)) {
    missing.unshift(current);
    if (dirname(current) === current) break;
  }
  if (missing.length === 0) return;
  mkdirSync(target, { recursive: true, mode });
  for (const created of missing) recorder.record({ kind: "directory", path: created });
}

export type WriteOutcome = "written" | "unchanged";

/** Writes `bytes` to `path` and records it, unless an identical file is already there (then the file is
 * the user's, or an earlier run's, and the post step must leave it). */
export function writeRecordedFile(
  path: string,
  bytes: Uint8Array | string,
  recorder: StateRecorder,
  mode = 0o644,
): WriteOutcome {
  const data = typeof bytes === "string" ? Buffer.from(bytes, "utf8") : Buffer.from(bytes);
  if (existsSync(path) && readFileSync(path).equals(data)) return "unchanged";
  ensureDirectory(dirname(path), recorder);
  writeFileSync(path, data, { mode });
  recorder.record({ kind: "file", path });
  return "written";
}

/** A file only this user may read (mode 0600), e.g. the .p12. Always replaced and recorded. */
export function writePrivateFile(path: string, bytes: Uint8Array | string, recorder: StateRecorder): void {
  ensureDirectory(dirname(path), recorder, 0o700);
  writeFileSync(path, typeof bytes === "string" ? bytes : Buffer.from(bytes), { mode: 0o600, flag: "w" });
  // `mode` applies only when the file is created: tighten a file that was already there too.
  chmodSync(path, 0o600);
  recorder.record({ kind: "file", path });
}
