// getpass(3) as macOS Libc implements it (gen/FreeBSD/readpassphrase.c, see fake-security.ts for the
// commit), for the stand-in `security`:
// - it opens /dev/tty first (O_RDWR) and reads the password from the terminal; only when that open fails
//   (a process without a controlling terminal gets ENXIO: xnu bsd/kern/tty_tty.c cttyopen) does it read
//   standard input and write the prompt to standard error;
// - it reads one byte at a time and stops at '\n' OR '\r' (so of "pw\r\n" one call takes "pw" and the
//   next call takes "" up to the '\n'); at end of input it returns what it read so far, "" included;
// - it keeps at most _PASSWORD_LEN (128) characters and drops the rest of the line.
// The stand-in does not wait on a terminal: when /dev/tty opens it writes the prompt there, records a
// violation and stops the command (the real tool would sit on the prompt until the job is killed).
import { closeSync, openSync, writeSync } from "node:fs";

export const PASSWORD_LEN = 128;

export class TerminalPromptError extends Error {}

export interface Getpass {
  (prompt: string): string;
  /** What opening /dev/tty gave the last time: "opened", an errno code ("ENXIO"), or undefined if never tried. */
  readonly tty: string | undefined;
}

export function createGetpass(
  stdin: Buffer,
  stderr: (text: string) => void,
  violations: string[],
  openTty: () => number = () => openSync("/dev/tty", "r+"),
): Getpass {
  let offset = 0;
  let tty: string | undefined;
  const getpass = (prompt: string): string => {
    let fd: number | undefined;
    try {
      fd = openTty();
      tty = "opened";
    } catch (error) {
      tty = (error as NodeJS.ErrnoException).code ?? "error";
    }
    if (fd !== undefined) {
      try {
        writeSync(fd, prompt);
      } finally {
        closeSync(fd);
      }
      violations.push(
        `getpass opened /dev/tty and prompted there ("${prompt.trim()}"): the real security would wait for the terminal until the job is killed; start it in a new session (setsid / detached: true) so getpass reads standard input`,
      );
      throw new TerminalPromptError(
        `fake security: "${prompt.trim()}" was asked on the terminal (/dev/tty): the real tool would now wait there forever`,
      );
    }
    stderr(prompt);
    let password = "";
    while (offset < stdin.length) {
      const ch = stdin[offset++]!;
      if (ch === 0x0a || ch === 0x0d) break;
      if (password.length < PASSWORD_LEN) password += String.fromCharCode(ch);
    }
    return password;
  };
  Object.defineProperty(getpass, "tty", { get: () => tty });
  return getpass as Getpass;
}
