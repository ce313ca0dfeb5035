// dist/ rebuilt while the benchmark runs (another `npm run build` in the same tree) would mix two builds
// into one table, or fail a run half-way: the benchmark notices, waits for the new build and says so.
import { statSync } from "node:fs";
import { distMain } from "./measure.ts";

/** Size and mtime of dist/main/index.js, or "missing". */
export function distStamp(): string {
  try {
    const stat = statSync(distMain);
    return `${stat.size}@${stat.mtimeMs}`;
  } catch {
    return "missing";
  }
}

/** Until dist/main exists and has not changed for 5 s (at most 3 minutes). */
export async function waitForStableDist(): Promise<void> {
  let last = distStamp();
  let stableSince = Date.now();
  for (const deadline = Date.now() + 180_000; Date.now() < deadline; ) {
    await new Promise((done) => setTimeout(done, 1000));
    const now = distStamp();
    if (now !== last) {
      last = now;
      stableSince = Date.now();
    } else if (now !== "missing" && Date.now() - stableSince >= 5000) return;
  }
}
