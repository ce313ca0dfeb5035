// SecretMasker on the runner's `add-mask`. The runner masks line by line, so a multi-line secret (a PEM)
// is registered whole and line by line. Empty values are never registered (they would mask nothing
// useful and some runners reject them).
import type { SecretMasker } from "../core/ports.ts";

export function createActionsMasker(setSecret: (secret: string) => void): SecretMasker {
  const registered = new Set<string>();
  const add = (value: string): void => {
    if (!value.trim() || registered.has(value)) return;
    registered.add(value);
    setSecret(value);
  };
  return {
    mask(secret: string): void {
      add(secret);
      if (/[\r\n]/.test(secret)) for (const line of secret.split(/\r?\n|\r/)) add(line.trim());
    },
  };
}
