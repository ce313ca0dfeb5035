// The default of every input, as action.yml declares them: the one table both adapters and the core read
// (a test holds it to action.yml). An empty input means its default.
/** Input name → default from action.yml ("" when it has none). */
export const INPUT_DEFAULTS = {
  "issuer-id": "",
  "key-id": "",
  "private-key": "",
  "api-base-url": "https://api.appstoreconnect.apple.com",
  "bundle-ids": "",
  "bundle-id-names": "",
  platform: "",
  "profile-type": "IOS_APP_STORE",
  "profile-name": "{bundleId} {type}",
  "min-days-valid": "30",
  capabilities: "",
  "capabilities-exclusive": "false",
  project: "",
  targets: "",
  configuration: "Release",
  "entitlements-check": "fail",
  "configure-project": "false",
  "certificate-private-key": "",
  "certificate-p12": "",
  "certificate-p12-password": "",
  "certificate-type": "",
  "certificate-renew-days": "0",
  devices: "",
  "device-selection": "all",
  "reenable-devices": "false",
  mode: "apply",
  install: "true",
  "install-dir": "",
  keychain: "auto",
  "keychain-default": "false",
  "wwdr-certificates": "",
  "export-options": "true",
  cache: "false",
  cleanup: "true",
} as const;

export type InputName = keyof typeof INPUT_DEFAULTS;

/** The input's value, or its default when empty. */
export function inputOrDefault(raw: Record<string, string | undefined>, name: string): string {
  const value = (raw[name] ?? "").trim();
  return value || (INPUT_DEFAULTS as Record<string, string>)[name] || "";
}
