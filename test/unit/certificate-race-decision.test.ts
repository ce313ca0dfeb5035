// Which certificate a run adopts when jobs racing each other created several for the same key: the oldest
// of those issued close together (the one the racing jobs keep), not the latest-expiring; a renewal a year
// apart still prefers the latest expiry.
import { describe, expect, it } from "vitest";
import type { CertificateResource } from "../../src/core/asc/types.ts";
import {
  type CandidateCertificate,
  decideCertificate,
} from "../../src/core/reconcile/certificate-decision.ts";
import type { CertificateInfo } from "../../src/core/signing/certificate.ts";

const DAY = 86_400_000;
const now = Date.parse("2026-06-01T12:00:00Z");

function candidate(
  id: string,
  issuedAt: number,
  serialNumber: string,
  type = "DISTRIBUTION",
): CandidateCertificate {
  return {
    resource: {
      type: "certificates",
      id,
      attributes: { certificateType: type, activated: true },
    } as CertificateResource,
    info: {
      notBefore: new Date(issuedAt),
      notAfter: new Date(issuedAt + 365 * DAY),
      serialNumber,
    } as CertificateInfo,
    matchesKey: true,
  };
}

const decide = (candidates: CandidateCertificate[]) =>
  decideCertificate(candidates, { now, renewDays: 0, types: ["DISTRIBUTION"], createType: "DISTRIBUTION" });

describe("adopting among race duplicates", () => {
  it("adopts the oldest of certificates issued seconds apart, whatever the listing order", () => {
    const a = candidate("A", now - 3_000, "0B");
    const b = candidate("B", now - 2_000, "0A");
    const c = candidate("C", now - 3_000, "0A");
    for (const order of [
      [a, b, c],
      [b, c, a],
      [c, a, b],
    ]) {
      const decision = decide(order);
      expect(decision.kind).toBe("adopt");
      expect(decision.kind === "adopt" && decision.candidate.resource.id).toBe("C");
    }
  });

  it("a renewal months later is still preferred for its later expiry", () => {
    const old = candidate("OLD", now - 200 * DAY, "01");
    const renewed = candidate("NEW", now - 10 * DAY, "02");
    const decision = decide([old, renewed]);
    expect(decision.kind === "adopt" && decision.candidate.resource.id).toBe("NEW");
  });
});
