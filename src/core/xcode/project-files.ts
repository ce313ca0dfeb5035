// How the reader touches the checkout: read a text file or learn it is absent. Tests pass an in-memory
// map; the action passes the real file system. Nothing is written through here.
import { readFileSync } from "node:fs";

export interface ProjectFiles {
  /** The file's text, or undefined when it does not exist (or is a directory). */
  readText(path: string): string | undefined;
}

export const diskFiles: ProjectFiles = {
  readText(path) {
    try {
      return readFileSync(path, "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "EISDIR" || code === "ENOTDIR") return undefined;
      throw error;
    }
  },
};
