// Warnings for a certificate or profile that expires soon: the job passes, the annotation says what to do.
import type { ProvisionResult } from "../core/result.ts";

export const EXPIRY_WARNING_DAYS = 30;
const DAY_MS = 86_400_000;

export function expiryWarnings(result: ProvisionResult, now: number, days = EXPIRY_WARNING_DAYS): string[] {
  const warnings: string[] = [];
  const left = (date: string): number | undefined => {
    const at = Date.parse(date);
    return Number.isNaN(at) ? undefined : Math.floor((at - now) / DAY_MS);
  };
  const certificate = result.certificate;
  if (certificate) {
    const daysLeft = left(certificate.expirationDate);
    if (daysLeft !== undefined && daysLeft < days)
      warnings.push(
        `The signing certificate "${certificate.name}" (${certificate.serialNumber}) expires in ${Math.max(daysLeft, 0)} days (${certificate.expirationDate}). Set \`certificate-renew-days\` so that the action creates its successor from the same key, or create one and update the key secret.`,
      );
  }
  for (const profile of result.profiles) {
    const daysLeft = left(profile.expirationDate);
    if (daysLeft !== undefined && daysLeft < days)
      warnings.push(
        `The profile "${profile.name}" for ${profile.bundleId} expires in ${Math.max(daysLeft, 0)} days (${profile.expirationDate}). Raise \`min-days-valid\` above ${Math.max(daysLeft, 0)} to have it regenerated now.`,
      );
  }
  return warnings;
}
