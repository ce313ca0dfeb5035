// Reading the project's Markdown documents for the doc tests: which files, their links, GitHub's anchors.
import { readdirSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { projectRoot } from "../../scripts/generate-docs.ts";

/** README.md and every .md under docs/, as paths relative to `root`. */
export function markdownFiles(root: string): string[] {
  const docs = (dir: string): string[] =>
    readdirSync(join(root, dir)).flatMap((name) => {
      const path = join(dir, name);
      if (statSync(join(root, path)).isDirectory()) return docs(path);
      return name.endsWith(".md") ? [path] : [];
    });
  return ["README.md", ...docs("docs")];
}

/** GitHub's anchor for a heading (github-slugger): lower case, punctuation dropped, spaces to hyphens. */
export function headingSlug(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/`/g, "")
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M} _-]/gu, "")
    .replace(/ /g, "-");
}

/** The anchors of a Markdown file's headings, with GitHub's -1, -2 … for repeated ones. */
export function anchorsOf(markdown: string): Set<string> {
  const withoutCode = markdown.replace(/^```[\s\S]*?^```/gm, "");
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const m of withoutCode.matchAll(/^#{1,6} +(.+?) *#*$/gm)) {
    const slug = headingSlug(m[1]!);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

export interface DocLink {
  from: string;
  target: string;
  /** Path relative to the project root ("" for an in-page anchor). */
  file: string;
  anchor: string | undefined;
}

export function relativeLinks(from: string, markdown: string): DocLink[] {
  const withoutCode = markdown.replace(/^```[\s\S]*?^```/gm, "").replace(/`[^`\n]*`/g, "");
  const links: DocLink[] = [];
  for (const m of withoutCode.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    const target = m[1]!;
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
    const [path = "", anchor] = target.split("#", 2);
    const file = path ? relative(projectRoot, join(projectRoot, dirname(from), path)) : from;
    links.push({ from, target, file, anchor: anchor || undefined });
  }
  return links;
}
