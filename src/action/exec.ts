// The real Exec port: child_process.spawn without a shell, stdin written then closed, output collected.
// Each command runs in a new session (detached: setsid), so it has no controlling terminal: programs
// that prompt through getpass(3) — `security` when no password option is given — then read the password
// from the stdin we provide instead of a terminal, and nothing can wait on a prompt forever. A timeout
// ends the command's whole process group as a last resort.
import { spawn } from "node:child_process";
import type { Exec, ExecOptions, ExecResult } from "../core/ports.ts";

export interface ProcessExecOptions {
  /** Per command; default two minutes. */
  timeoutMs?: number;
}

export function createProcessExec(options: ProcessExecOptions = {}): Exec {
  const timeoutMs = options.timeoutMs ?? 120_000;
  return {
    run(command: string, args: string[], runOptions: ExecOptions = {}): Promise<ExecResult> {
      return new Promise((resolve, reject) => {
        const child = spawn(command, args, {
          shell: false,
          detached: true,
          stdio: ["pipe", "pipe", "pipe"],
          env: runOptions.env ? { ...process.env, ...runOptions.env } : process.env,
        });
        const stdout: Buffer[] = [];
        const stderr: Buffer[] = [];
        let timedOut = false;
        const timer = setTimeout(() => {
          timedOut = true;
          try {
            if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
          } catch {
            child.kill("SIGKILL");
          }
        }, timeoutMs);
        child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
        child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
        child.stdin.on("error", () => {
          // The command exited without reading its input; its exit code tells what happened.
        });
        child.on("error", (error) => {
          clearTimeout(timer);
          reject(error);
        });
        child.on("close", (code, signal) => {
          clearTimeout(timer);
          const err = Buffer.concat(stderr).toString("utf8");
          resolve({
            code: code ?? 128,
            stdout: Buffer.concat(stdout).toString("utf8"),
            stderr: timedOut
              ? `${err}\n${command} did not finish within ${timeoutMs / 1000} s and was stopped`
              : signal
                ? `${err}\n${command} ended by ${signal}`
                : err,
          });
        });
        child.stdin.end(runOptions.input ?? "");
      });
    },
  };
}
