// Every form of a secret worth registering with the log masker: a secret leaks in the shape it was
// transformed into (one PEM line in an error, its base64 in a debug dump, its "\n"-escaped form in
// JSON), not only as the value given. Short strings are left out: they would redact innocent text.

import type { KeyObject } from "node:crypto";

const MIN_LENGTH = 8;
const PEM_ARMOUR = /^-{5}(BEGIN|END) [A-Z0-9 ]+-{5}$/;
const PEM_BLOCK = /-{5}BEGIN ([A-Z0-9 ]+)-{5}([\s\S]*?)-{5}END \1-{5}/g;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * The value, each non-trivial line of it (trimmed, ≥ 8 characters, PEM armour lines excepted), its
 * base64 (also of the trimmed form, with and without a final newline), its "\n"-escaped one-line form,
 * for a PEM the base64 body joined without newlines, and for base64 of a PEM the same forms of the
 * decoded PEM. No string shorter than 8 characters.
 */
export function secretForms(secret: string): string[] {
  const forms = new Set<string>();
  collect(secret, forms, true);
  return [...forms].filter((form) => form.length >= MIN_LENGTH && form.trim() === form);
}

function collect(secret: string, forms: Set<string>, decodeOnce: boolean): void {
  const trimmed = secret.trim();
  if (trimmed.length < MIN_LENGTH) return;
  forms.add(trimmed);

  const unescaped = trimmed.replace(/\\r\\n|\\n/g, "\n");
  forms.add(unescaped);
  for (const line of unescaped.split(/\r?\n/)) {
    const value = line.trim();
    if (!PEM_ARMOUR.test(value)) forms.add(value);
  }

  for (const value of new Set([secret, trimmed, `${trimmed}\n`, unescaped, `${unescaped}\n`])) {
    forms.add(Buffer.from(value, "utf8").toString("base64"));
  }
  forms.add(unescaped.replace(/\r?\n/g, "\\n"));
  forms.add(unescaped.replace(/\r?\n/g, "\\r\\n"));

  for (const block of unescaped.matchAll(PEM_BLOCK)) {
    const body = (block[2] ?? "").replace(/\s+/g, "");
    forms.add(body);
  }

  const compact = trimmed.replace(/\s+/g, "");
  if (decodeOnce && compact.length >= 16 && BASE64.test(compact)) {
    const decoded = Buffer.from(compact, "base64").toString("utf8");
    if (/-{5}BEGIN /.test(decoded)) collect(decoded, forms, false);
  }
}

/** Registers a secret and every derived form with the masker (nothing for a blank value). */
export function maskSecret(masker: { mask(secret: string): void }, secret: string): void {
  if (!secret.trim()) return;
  masker.mask(secret);
  for (const form of secretForms(secret)) masker.mask(form);
}

/** Masks a private key as the PKCS#8 PEM it is written as, with every derived form. */
export function maskPrivateKey(masker: { mask(secret: string): void }, key: KeyObject): void {
  maskSecret(masker, key.export({ type: "pkcs8", format: "pem" }).toString());
}
