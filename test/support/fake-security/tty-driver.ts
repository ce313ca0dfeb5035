// Run under a pseudo-terminal (script(1)) by test/action/fake-security.test.ts: this process then has a
// controlling terminal, as `security` would have on a developer's machine or under a runner that allocates
// one. It starts the stand-in `security create-keychain <path>` twice with the password on stdin:
// 1. through the action's Exec port (src/action/exec.ts: detached, a new session without a terminal);
// 2. with a plain spawn that stays in this session (what the Exec port must not do).
// and prints one JSON line: whether this process could open /dev/tty, and both results.
// Usage: node tty-driver.ts <keychain via exec port> <keychain via plain spawn>
import { spawnSync } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { createProcessExec } from "../../../src/action/exec.ts";

const [viaPort, viaPlainSpawn] = process.argv.slice(2);
if (!viaPort || !viaPlainSpawn) throw new Error("usage: tty-driver.ts <keychain> <keychain>");

let driverTty: string;
try {
  closeSync(openSync("/dev/tty", "r+"));
  driverTty = "opened";
} catch (error) {
  driverTty = (error as NodeJS.ErrnoException).code ?? "error";
}
const input = "pty-test-password\npty-test-password\n";
const port = await createProcessExec({ timeoutMs: 30_000 }).run("security", ["create-keychain", viaPort], {
  input,
});
const plain = spawnSync("security", ["create-keychain", viaPlainSpawn], {
  input,
  encoding: "utf8",
  timeout: 30_000,
});
process.stdout.write(
  `${JSON.stringify({ driverTty, port: { code: port.code }, plain: { code: plain.status } })}\n`,
);
