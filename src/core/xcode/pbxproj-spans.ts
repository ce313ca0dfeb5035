// Where things are in a project.pbxproj's text, so an edit can change only the bytes it means to: the
// span of an object's dictionary (found by its id, as a key followed by `= {`) and the entries of a
// dictionary (key, value and the whole `key = value;` with its position). A small scanner of Apple's
// old-style property-list syntax (quoted and bare strings, `{…}`, `(…)`, `<…>` data, /* */ and //
// comments); the parsed meaning comes from the parser, the positions from here.
import { XcodeProjectError } from "./xcode-errors.ts";

export interface DictEntry {
  /** The key, unquoted. */
  key: string;
  /** Offset of the key's first character (its quote, when quoted). */
  keyStart: number;
  valueStart: number;
  valueEnd: number;
  /** Offset just past the entry's `;`. */
  end: number;
}

export interface DictSpan {
  /** Offset of `{`. */
  open: number;
  /** Offset of the matching `}`. */
  close: number;
  entries: DictEntry[];
}

const BARE = /[A-Za-z0-9_$+/:.-]/;

export class PbxprojScanner {
  readonly text: string;
  private pos = 0;

  constructor(text: string) {
    this.text = text;
  }

  /** The dictionary of the object with this id in the objects section. */
  objectDict(id: string): DictSpan {
    const re = new RegExp(
      `(?:^|[\\s;{])${escapeRegExp(id)}\\s*(?:/\\*(?:[^*]|\\*(?!/))*\\*/\\s*)?=\\s*\\{`,
      "g",
    );
    const match = re.exec(this.text);
    if (!match) throw new XcodeProjectError(`object ${id} not found in the project file`);
    return this.dictAt(match.index + match[0].length - 1);
  }

  /** The dictionary whose `{` is at `open`. */
  dictAt(open: number): DictSpan {
    this.pos = open;
    return this.dict();
  }

  /** The dictionary value of `key` inside `dict`. */
  childDict(dict: DictSpan, key: string): DictSpan | undefined {
    const entry = dict.entries.find((candidate) => candidate.key === key);
    if (!entry || this.text[entry.valueStart] !== "{") return undefined;
    return this.dictAt(entry.valueStart);
  }

  private dict(): DictSpan {
    const open = this.pos;
    this.expect("{");
    const entries: DictEntry[] = [];
    for (;;) {
      this.skip();
      if (this.text[this.pos] === "}") {
        const close = this.pos;
        this.pos++;
        return { open, close, entries };
      }
      const keyStart = this.pos;
      const key = this.string();
      this.skip();
      this.expect("=");
      this.skip();
      const valueStart = this.pos;
      this.value();
      const valueEnd = this.pos;
      this.skip();
      this.expect(";");
      entries.push({ key, keyStart, valueStart, valueEnd, end: this.pos });
    }
  }

  private value(): void {
    const char = this.text[this.pos];
    if (char === "{") {
      this.dict();
    } else if (char === "(") {
      this.pos++;
      for (;;) {
        this.skip();
        if (this.text[this.pos] === ")") {
          this.pos++;
          return;
        }
        this.value();
        this.skip();
        if (this.text[this.pos] === ",") this.pos++;
      }
    } else if (char === "<") {
      const end = this.text.indexOf(">", this.pos);
      if (end === -1) this.fail("unterminated data");
      this.pos = end + 1;
    } else {
      this.string();
    }
  }

  private string(): string {
    const quote = this.text[this.pos];
    if (quote === '"' || quote === "'") {
      let out = "";
      this.pos++;
      while (this.pos < this.text.length && this.text[this.pos] !== quote) {
        if (this.text[this.pos] === "\\") {
          const next = this.text[this.pos + 1] ?? "";
          out += next === "n" ? "\n" : next === "t" ? "\t" : next;
          this.pos += 2;
        } else {
          out += this.text[this.pos];
          this.pos++;
        }
      }
      if (this.pos >= this.text.length) this.fail("unterminated string");
      this.pos++;
      return out;
    }
    const start = this.pos;
    while (this.pos < this.text.length && BARE.test(this.text[this.pos]!)) this.pos++;
    if (this.pos === start) this.fail(`unexpected ${JSON.stringify(this.text[this.pos] ?? "end of file")}`);
    return this.text.slice(start, this.pos);
  }

  private skip(): void {
    for (;;) {
      while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
      if (this.text.startsWith("/*", this.pos)) {
        const end = this.text.indexOf("*/", this.pos + 2);
        if (end === -1) this.fail("unterminated comment");
        this.pos = end + 2;
      } else if (this.text.startsWith("//", this.pos)) {
        const end = this.text.indexOf("\n", this.pos);
        this.pos = end === -1 ? this.text.length : end + 1;
      } else return;
    }
  }

  private expect(char: string): void {
    if (this.text[this.pos] !== char) this.fail(`expected "${char}"`);
    this.pos++;
  }

  private fail(message: string): never {
    const line = this.text.slice(0, this.pos).split("\n").length;
    throw new XcodeProjectError(`project file, line ${line}: ${message}`);
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A string as Xcode writes it in a pbxproj: bare when it can be, quoted and escaped otherwise. */
export function pbxString(value: string): string {
  if (/^[A-Za-z0-9_$./]+$/.test(value) && !value.includes("//")) return value;
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n").replace(/\t/g, "\\t")}"`;
}
