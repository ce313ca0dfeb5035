// Builds dist/: tsc emits src/ as JavaScript into build/, then ncc bundles the main and post entry
// points (with their dependencies and licences) into dist/main and dist/post.
import { execFileSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name: string): string => join(root, "node_modules", ".bin", name);
const run = (cmd: string, args: string[]): void => {
  execFileSync(cmd, args, { cwd: root, stdio: "inherit" });
};

rmSync(join(root, "build"), { recursive: true, force: true });
run(bin("tsc"), ["-p", "tsconfig.build.json"]);
const entries = ["main", "post"];
if (existsSync(join(root, "src", "cli", "main.ts"))) entries.push("cli");
for (const entry of entries) {
  rmSync(join(root, "dist", entry), { recursive: true, force: true });
  run(bin("ncc"), [
    "build",
    entry === "cli" ? join("build", "src", "cli", "main.js") : join("build", "src", "action", `${entry}.js`),
    "--out",
    join("dist", entry),
    "--license",
    "licenses.txt",
    "--target",
    "es2023",
    "--quiet",
  ]);
}
