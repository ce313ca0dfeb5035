// Fault injection: 5xx answers, HTML and unparsable bodies, connection resets and timeouts, either before
// the request reaches the API (state unchanged) or after its write took effect (the answer is lost).
// Random faults are deterministic for a seed (mulberry32), so a failing chaos run can be replayed.

export type FaultKind = "500" | "502" | "html502" | "503" | "nonjson" | "reset" | "timeout";
export type FaultWhen = "before" | "after";

export interface FaultRule {
  method?: string;
  /** An exact path, a template with {params} (`/v1/profiles/{id}`), or a RegExp tested on the path. */
  path?: string | RegExp;
  kind: FaultKind;
  when: FaultWhen;
  /** How many matching requests to fault (default 1; Infinity for all). */
  times?: number;
  /** For `timeout`: how long the response is held before the socket is destroyed (default 30 s). */
  holdMs?: number;
}

export interface RandomFaultConfig {
  /** Probability per matching request, 0..1. */
  rate: number;
  seed: number;
  kinds: FaultKind[];
  when: FaultWhen | "either";
  /** Only these methods (default: all). */
  methods?: string[];
  holdMs?: number;
}

export interface FaultDecision {
  kind: FaultKind;
  when: FaultWhen;
  holdMs: number;
}

export const DEFAULT_HOLD_MS = 30_000;

/** mulberry32: a tiny seeded PRNG, returns [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pathMatches(pattern: string | RegExp | undefined, path: string): boolean {
  if (pattern === undefined) return true;
  if (pattern instanceof RegExp) return pattern.test(path);
  if (!pattern.includes("{")) return pattern === path;
  const segments = pattern.split("/");
  const parts = path.split("/");
  return (
    segments.length === parts.length &&
    segments.every((s, i) => (s.startsWith("{") ? parts[i] !== "" : s === parts[i]))
  );
}

export class FaultInjector {
  #rules: (FaultRule & { remaining: number })[] = [];
  #random: { config: RandomFaultConfig; next: () => number } | undefined;
  #injected = 0;

  inject(rule: FaultRule): void {
    this.#rules.push({ ...rule, remaining: rule.times ?? 1 });
  }

  random(config: RandomFaultConfig): void {
    if (config.kinds.length === 0) throw new Error("faults.random needs at least one kind");
    this.#random = { config, next: mulberry32(config.seed) };
  }

  /** How many faults were injected so far. */
  get injected(): number {
    return this.#injected;
  }

  clear(): void {
    this.#rules = [];
    this.#random = undefined;
  }

  /** The fault for this request, if any (called once per request, in arrival order). */
  decide(method: string, path: string): FaultDecision | undefined {
    const index = this.#rules.findIndex(
      (r) => (r.method === undefined || r.method.toUpperCase() === method) && pathMatches(r.path, path),
    );
    if (index !== -1) {
      const rule = this.#rules[index]!;
      rule.remaining -= 1;
      if (rule.remaining <= 0) this.#rules.splice(index, 1);
      this.#injected += 1;
      return { kind: rule.kind, when: rule.when, holdMs: rule.holdMs ?? DEFAULT_HOLD_MS };
    }
    const random = this.#random;
    if (!random) return undefined;
    const { config, next } = random;
    if (config.methods && !config.methods.map((m) => m.toUpperCase()).includes(method)) return undefined;
    if (next() >= config.rate) return undefined;
    const kind = config.kinds[Math.floor(next() * config.kinds.length)]!;
    const when: FaultWhen = config.when === "either" ? (next() < 0.5 ? "before" : "after") : config.when;
    this.#injected += 1;
    return { kind, when, holdMs: config.holdMs ?? DEFAULT_HOLD_MS };
  }
}
