// The forms of a secret registered with the log masker.
import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { secretForms } from "../../src/core/secret-forms.ts";

const pem = generateKeyPairSync("ec", { namedCurve: "prime256v1" })
  .privateKey.export({ type: "pkcs8", format: "pem" })
  .toString();
const bodyLines = pem
  .trim()
  .split("\n")
  .filter((line) => !line.startsWith("-----"));

describe("secretForms", () => {
  it("covers a PEM: the value, each body line, base64 forms, the escaped one-line form, the joined body", () => {
    const forms = secretForms(pem);
    expect(forms).toContain(pem.trim());
    for (const line of bodyLines.filter((l) => l.length >= 8)) expect(forms).toContain(line);
    expect(forms).toContain(Buffer.from(pem).toString("base64"));
    expect(forms).toContain(Buffer.from(pem.trim()).toString("base64"));
    expect(forms).toContain(pem.trim().replace(/\n/g, "\\n"));
    expect(forms).toContain(bodyLines.join(""));
  });

  it("has no string shorter than 8 characters, no empty one, and not the PEM armour lines", () => {
    const forms = secretForms(`${pem}\n\nab\n`);
    expect(forms.length).toBeGreaterThan(5);
    for (const form of forms) expect(form.length).toBeGreaterThanOrEqual(8);
    expect(forms).not.toContain("-----BEGIN PRIVATE KEY-----");
    expect(forms).not.toContain("-----END PRIVATE KEY-----");
    expect(forms).not.toContain("ab");
  });

  it("covers the PEM inside base64 of a PEM (what the action decodes)", () => {
    const encoded = Buffer.from(pem).toString("base64");
    const forms = secretForms(encoded);
    expect(forms).toContain(encoded);
    for (const line of bodyLines.filter((l) => l.length >= 8)) expect(forms).toContain(line);
    expect(forms).toContain(bodyLines.join(""));
  });

  it("covers a PEM given with literal \\n sequences", () => {
    const escaped = pem.trim().replace(/\n/g, "\\n");
    const forms = secretForms(escaped);
    expect(forms).toContain(escaped);
    for (const line of bodyLines.filter((l) => l.length >= 8)) expect(forms).toContain(line);
    expect(forms).toContain(pem.trim());
  });

  it("covers a password: the value and its base64", () => {
    const forms = secretForms("  correct horse battery  ");
    expect(forms).toContain("correct horse battery");
    expect(forms).toContain(Buffer.from("correct horse battery").toString("base64"));
    expect(forms).toEqual([...new Set(forms)]);
  });

  it("returns nothing for short or empty secrets", () => {
    expect(secretForms("")).toEqual([]);
    expect(secretForms("   ")).toEqual([]);
    expect(secretForms("1234567")).toEqual([]);
  });
});
