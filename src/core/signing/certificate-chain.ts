// Whether a certificate chains, through a pool of intermediates, to one of the trusted roots: names and
// key identifiers (checkIssued) and signatures (verify) with node:crypto; validity dates only when asked.
import { X509Certificate } from "node:crypto";

const MAX_DEPTH = 8;

export type ChainResult = { ok: true } | { ok: false; reason: string };

export function verifyChain(
  leafDer: Uint8Array,
  intermediatesDer: Uint8Array[],
  trustedRootsDer: Uint8Array[],
  opts: { now?: Date } = {},
): ChainResult {
  const load = (der: Uint8Array): X509Certificate | undefined => {
    try {
      return new X509Certificate(der);
    } catch {
      return undefined;
    }
  };
  const roots = trustedRootsDer.map(load).filter((c): c is X509Certificate => c !== undefined);
  const pool = intermediatesDer.map(load).filter((c): c is X509Certificate => c !== undefined);
  const leaf = load(leafDer);
  if (!leaf) return { ok: false, reason: "the signer certificate cannot be read" };
  let current: X509Certificate = leaf;
  const issues = (child: X509Certificate, parent: X509Certificate): boolean => {
    try {
      return child.checkIssued(parent) && child.verify(parent.publicKey);
    } catch {
      return false;
    }
  };
  const expired = (cert: X509Certificate): string | undefined => {
    const now = opts.now;
    if (!now) return undefined;
    if (now < cert.validFromDate || now > cert.validToDate)
      return `certificate "${commonName(cert)}" is not valid on ${now.toISOString()} (valid ${cert.validFromDate.toISOString()} to ${cert.validToDate.toISOString()})`;
    return undefined;
  };
  const used = new Set<string>();
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    const timeProblem = expired(current);
    if (timeProblem) return { ok: false, reason: timeProblem };
    const self: X509Certificate = current;
    if (roots.some((root) => root.fingerprint256 === self.fingerprint256)) return { ok: true };
    const root = roots.find((r) => issues(self, r));
    if (root) {
      const rootProblem = expired(root);
      return rootProblem ? { ok: false, reason: rootProblem } : { ok: true };
    }
    used.add(self.fingerprint256);
    const next: X509Certificate | undefined = pool.find(
      (c) => !used.has(c.fingerprint256) && issues(self, c),
    );
    if (!next)
      return {
        ok: false,
        reason: `signed by an unknown CA: "${commonName(self)}" (issued by "${issuerCommonName(self)}") does not chain to a trusted root`,
      };
    current = next;
  }
  return { ok: false, reason: "the certificate chain is too long" };
}

function commonName(cert: X509Certificate): string {
  return /(?:^|\n)CN=([^\n]*)/.exec(cert.subject)?.[1] ?? cert.subject;
}

function issuerCommonName(cert: X509Certificate): string {
  return /(?:^|\n)CN=([^\n]*)/.exec(cert.issuer)?.[1] ?? cert.issuer;
}
