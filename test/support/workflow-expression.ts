// The part of GitHub's expression language the wrappers use (`${{ inputs.x }}`, `secrets.a || secrets.B`,
// `inputs.mode != 'plan' && inputs.build-command != ''`), evaluated as the runner does: a missing property
// is null, `||`/`&&` return an operand (not a boolean), `==`/`!=` compare strings ignoring case, and
// null, false and '' are falsy. Anything else (functions, numbers, indexing) is refused, not guessed.
// Reference: https://docs.github.com/en/actions/reference/workflows-and-actions/expressions

export type Value = string | boolean | null;
export type Contexts = Record<string, unknown>;

type Token =
  | { kind: "op"; text: string }
  | { kind: "string"; value: string }
  | { kind: "path"; parts: string[] };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const pattern =
    /\s+|'((?:[^']|'')*)'|(==|!=|&&|\|\||!|\(|\))|([A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)*)/y;
  let at = 0;
  while (at < source.length) {
    pattern.lastIndex = at;
    const m = pattern.exec(source);
    if (!m) throw new Error(`unsupported expression at ${at}: ${source}`);
    at = pattern.lastIndex;
    if (m[1] !== undefined) tokens.push({ kind: "string", value: m[1].replaceAll("''", "'") });
    else if (m[2] !== undefined) tokens.push({ kind: "op", text: m[2] });
    else if (m[3] !== undefined) tokens.push({ kind: "path", parts: m[3].split(".") });
  }
  return tokens;
}

const truthy = (v: Value): boolean => v !== null && v !== false && v !== "";

function lookup(ctx: Contexts, parts: string[]): Value {
  if (parts.length === 1 && (parts[0] === "true" || parts[0] === "false")) return parts[0] === "true";
  if (parts.length === 1 && parts[0] === "null") return null;
  if (!(parts[0]! in ctx)) throw new Error(`unknown context ${parts[0]}`);
  let v: unknown = ctx;
  for (const p of parts)
    v = v !== null && typeof v === "object" ? (v as Record<string, unknown>)[p] : undefined;
  if (v === undefined || v === null) return null;
  if (typeof v === "string" || typeof v === "boolean") return v;
  throw new Error(`${parts.join(".")} is not a string`);
}

export function evaluate(source: string, ctx: Contexts): Value {
  const tokens = tokenize(source);
  let i = 0;
  const peek = (text: string): boolean =>
    tokens[i]?.kind === "op" && (tokens[i] as { text: string }).text === text;
  const or = (): Value => {
    let left = and();
    while (peek("||")) {
      i++;
      const right = and();
      left = truthy(left) ? left : right;
    }
    return left;
  };
  const and = (): Value => {
    let left = equality();
    while (peek("&&")) {
      i++;
      const right = equality();
      left = truthy(left) ? right : left;
    }
    return left;
  };
  const equality = (): Value => {
    let left = unary();
    while (peek("==") || peek("!=")) {
      const negate = peek("!=");
      i++;
      const right = unary();
      const same = String(left ?? "").toLowerCase() === String(right ?? "").toLowerCase();
      left = negate ? !same : same;
    }
    return left;
  };
  const unary = (): Value => {
    if (peek("!")) {
      i++;
      return !truthy(unary());
    }
    return primary();
  };
  const primary = (): Value => {
    const t = tokens[i++];
    if (!t) throw new Error(`unexpected end: ${source}`);
    if (t.kind === "string") return t.value;
    if (t.kind === "path") return lookup(ctx, t.parts);
    if (t.text === "(") {
      const v = or();
      if (!peek(")")) throw new Error(`missing ): ${source}`);
      i++;
      return v;
    }
    throw new Error(`unexpected ${t.text}: ${source}`);
  };
  const value = or();
  if (i !== tokens.length) throw new Error(`trailing tokens: ${source}`);
  return value;
}

/** A `with:`/`env:` value: every `${{ }}` replaced by its value as text (null as ''). */
export function interpolate(text: string, ctx: Contexts): string {
  return text.replace(/\$\{\{(.*?)\}\}/gs, (_, expr: string) => {
    const v = evaluate(expr, ctx);
    return v === null ? "" : String(v);
  });
}

/** An `if:` condition, with or without `${{ }}`; absent means success(). */
export function condition(source: string | undefined, ctx: Contexts): boolean {
  if (source === undefined) return true;
  const bare = /^\s*\$\{\{(.*)\}\}\s*$/s.exec(source)?.[1] ?? source;
  return truthy(evaluate(bare, ctx));
}
