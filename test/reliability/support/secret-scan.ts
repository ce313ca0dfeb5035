// Looking for secrets where a run leaves text: the log the runner shows, the command files, the summary,
// and the files written under HOME. Needles are each secret in every form a leak takes (raw, each line of
// 8+ characters, base64, "\n"-escaped, the PEM body joined), plus anything shaped like a JWT.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { secretForms } from "../../../src/core/secret-forms.ts";

export const JWT_SHAPE = /eyJ[A-Za-z0-9_-]{6,}\.eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/;

export interface Finding {
  where: string;
  what: string;
}

/** Every form of each named secret worth looking for (forms shorter than 8 characters are skipped). */
export function needlesOf(secrets: Record<string, string>): Array<{ what: string; needle: string }> {
  return Object.entries(secrets).flatMap(([what, secret]) =>
    [...new Set([secret, ...secretForms(secret)])]
      .filter((n) => n.length >= 8)
      .map((needle) => ({ what, needle })),
  );
}

/** Where each needle (or a JWT) occurs in the haystacks; empty when clean. */
export function scan(
  haystacks: Record<string, string>,
  needles: Array<{ what: string; needle: string }>,
): Finding[] {
  const found: Finding[] = [];
  for (const [where, text] of Object.entries(haystacks)) {
    if (JWT_SHAPE.test(text)) found.push({ where, what: "a JWT" });
    for (const { what, needle } of needles)
      if (text.includes(needle))
        found.push({ where, what: `${what} (a form of ${needle.length} characters)` });
  }
  return found;
}

/** Every file below a folder, recursively. */
export function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/** The files under `dir` as haystacks (binary files read as latin1, so byte-for-byte text still matches). */
export function fileHaystacks(dir: string, label: string): Record<string, string> {
  return Object.fromEntries(
    filesUnder(dir).map((file) => [
      `${label}${file.slice(dir.length)}`,
      readFileSync(file).toString("latin1"),
    ]),
  );
}

/** The log the runner shows: `::add-mask::` commands hand secrets to the runner by design and are not shown. */
export function shownLog(stdout: string): string {
  return stdout
    .split("\n")
    .filter((line) => !line.startsWith("::add-mask::"))
    .join("\n");
}
