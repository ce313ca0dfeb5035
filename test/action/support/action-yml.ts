// A line-based reader for action.yml's flat structure (no YAML package): top-level keys, the entries of
// `inputs`/`outputs`/`runs`/`branding`, and each entry's scalar properties.
import { readFileSync } from "node:fs";

export interface ActionYml {
  top: Record<string, string>;
  sections: Record<string, Record<string, Record<string, string>>>;
  /** `runs:` and `branding:` hold scalars directly. */
  scalars: Record<string, Record<string, string>>;
}

function scalar(raw: string): string {
  const text = raw.trim();
  if (text.startsWith('"')) return JSON.parse(text) as string;
  if (text.startsWith("'")) return text.slice(1, -1).replace(/''/g, "'");
  return text;
}

export function readActionYml(path: string): ActionYml {
  const result: ActionYml = { top: {}, sections: {}, scalars: {} };
  let section = "";
  let entry = "";
  for (const line of readFileSync(path, "utf8").split(/\r?\n/)) {
    if (!line.trim() || line.trim().startsWith("#")) continue;
    const m = /^( *)([A-Za-z0-9_-]+):(.*)$/.exec(line);
    if (!m) throw new Error(`action.yml: unexpected line ${JSON.stringify(line)}`);
    const [, indent = "", key = "", rest = ""] = m;
    if (indent.length === 0) {
      section = key;
      if (rest.trim()) result.top[key] = scalar(rest);
    } else if (indent.length === 2) {
      if (rest.trim()) {
        result.scalars[section] = { ...result.scalars[section], [key]: scalar(rest) };
      } else {
        entry = key;
        const entries = result.sections[section] ?? {};
        entries[entry] = entries[entry] ?? {};
        result.sections[section] = entries;
      }
    } else if (indent.length === 4) {
      const target = result.sections[section]?.[entry];
      if (!target) throw new Error(`action.yml: property outside an entry: ${line}`);
      target[key] = scalar(rest);
    } else throw new Error(`action.yml: unexpected indentation: ${line}`);
  }
  return result;
}
