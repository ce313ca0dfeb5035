// Every relative link in README.md and docs/**/*.md resolves: the file exists and, for a link to a heading
// (`file.md#anchor` or `#anchor`), the heading exists with GitHub's anchor for it. Moving a section between
// the README and docs/ cannot leave a dead link behind.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../../scripts/generate-docs.ts";
import { anchorsOf, headingSlug, markdownFiles, relativeLinks } from "../support/markdown-docs.ts";

describe("links in README.md and docs/", () => {
  const files = markdownFiles(projectRoot);

  it("finds the documents and their links", () => {
    expect(files).toContain("README.md");
    expect(files).toContain(join("docs", "faq.md"));
    const count = files.reduce(
      (n, f) => n + relativeLinks(f, readFileSync(join(projectRoot, f), "utf8")).length,
      0,
    );
    expect(count).toBeGreaterThan(40);
  });

  it.each(files)("%s: every relative link names a file that exists", (from) => {
    const dead: string[] = [];
    for (const link of relativeLinks(from, readFileSync(join(projectRoot, from), "utf8"))) {
      if (!existsSync(join(projectRoot, link.file))) dead.push(link.target);
    }
    expect(dead).toEqual([]);
  });

  it.each(files)("%s: every link to a heading finds it", (from) => {
    const dead: string[] = [];
    for (const link of relativeLinks(from, readFileSync(join(projectRoot, from), "utf8"))) {
      if (!link.anchor || !link.file.endsWith(".md")) continue;
      const anchors = anchorsOf(readFileSync(join(projectRoot, link.file), "utf8"));
      if (!anchors.has(link.anchor)) dead.push(link.target);
    }
    expect(dead).toEqual([]);
  });

  it("the checks catch a dead file, a dead anchor and GitHub's anchor forms", () => {
    const links = relativeLinks(
      "docs/x.md",
      "[a](faq.md#which-role) [b](../README.md) [c](https://example.com/x) [d](#local) `[e](no.md)`\n```\n[f](no.md)\n```\n",
    );
    expect(links.map((l) => [l.file, l.anchor])).toEqual([
      [join("docs", "faq.md"), "which-role"],
      ["README.md", undefined],
      ["docs/x.md", "local"],
    ]);
    expect(headingSlug("Why not `xcodebuild -allowProvisioningUpdates` (automatic signing)?")).toBe(
      "why-not-xcodebuild--allowprovisioningupdates-automatic-signing",
    );
    expect(headingSlug('"X does not support provisioning profiles" from a Swift package or a pod')).toBe(
      "x-does-not-support-provisioning-profiles-from-a-swift-package-or-a-pod",
    );
    expect([...anchorsOf("# A\n## Notes\n```\n# not a heading\n```\n## Notes\n")]).toEqual([
      "a",
      "notes",
      "notes-1",
    ]);
  });
});
