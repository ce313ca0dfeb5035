// Whether a certificate chains, through a pool of intermediates, to one of the trusted roots: names and
// key identifiers (checkIssued) and signatures (verify) with node:crypto; validity dates only when asked,
// and only once the chain is trusted (an untrusted signer is the problem to report, whatever its dates).
import { X509Certificate } from "node:crypto";

const MAX_DEPTH = 8;

/**
 * `reason` is a predicate about the signed thing, to follow its name: "was signed by an unknown CA: …",
 * "was signed with a certificate that is not valid on …".
 */
export type ChainResult =
  | { ok: true }
  | { ok: false; problem: "unreadable" | "untrusted" | "too-long" | "not-valid-on"; reason: string };

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
  if (!leaf)
    return { ok: false, problem: "unreadable", reason: "has a signer certificate that cannot be read" };
  const issues = (child: X509Certificate, parent: X509Certificate): boolean => {
    try {
      return child.checkIssued(parent) && child.verify(parent.publicKey);
    } catch {
      return false;
    }
  };

  // The chain from the leaf to a trusted root, dates aside.
  const chain: X509Certificate[] = [leaf];
  const used = new Set<string>();
  let trusted = false;
  for (let depth = 0; depth < MAX_DEPTH && !trusted; depth++) {
    const self: X509Certificate = chain[chain.length - 1]!;
    if (roots.some((root) => root.fingerprint256 === self.fingerprint256)) {
      trusted = true;
      break;
    }
    const root = roots.find((r) => issues(self, r));
    if (root) {
      chain.push(root);
      trusted = true;
      break;
    }
    used.add(self.fingerprint256);
    const next: X509Certificate | undefined = pool.find(
      (c) => !used.has(c.fingerprint256) && issues(self, c),
    );
    if (!next)
      return {
        ok: false,
        problem: "untrusted",
        reason: `was signed by an unknown CA: "${commonName(self)}" (issued by "${issuerCommonName(self)}") does not chain to a trusted root`,
      };
    chain.push(next);
  }
  if (!trusted) return { ok: false, problem: "too-long", reason: "has a certificate chain that is too long" };

  const now = opts.now;
  if (now)
    for (const cert of chain)
      if (now < cert.validFromDate || now > cert.validToDate)
        return {
          ok: false,
          problem: "not-valid-on",
          reason: `was signed with a certificate that is not valid on ${now.toISOString()}: "${commonName(cert)}" is valid from ${cert.validFromDate.toISOString()} to ${cert.validToDate.toISOString()}`,
        };
  return { ok: true };
}

function commonName(cert: X509Certificate): string {
  return /(?:^|\n)CN=([^\n]*)/.exec(cert.subject)?.[1] ?? cert.subject;
}

function issuerCommonName(cert: X509Certificate): string {
  return /(?:^|\n)CN=([^\n]*)/.exec(cert.issuer)?.[1] ?? cert.issuer;
}
