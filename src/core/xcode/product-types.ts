// What each product type is for signing: whether it needs its own App ID and provisioning profile.
// Applications and everything Apple loads as a separate bundle with its own identity (extensions, watch
// apps, App Clips, XPC services, system and driver extensions) do; frameworks, libraries, resource
// bundles, tests, tools and kernel extensions are signed without a profile (or not at all).
export type SignableKind =
  | "application"
  | "app-clip"
  | "messages-app"
  | "watch-app"
  | "watch-extension"
  | "app-extension"
  | "extensionkit-extension"
  | "xpc-service"
  | "system-extension"
  | "driver-extension";

const SIGNABLE: Record<string, SignableKind> = {
  "com.apple.product-type.application": "application",
  "com.apple.product-type.application.on-demand-install-capable": "app-clip",
  "com.apple.product-type.application.messages": "messages-app",
  "com.apple.product-type.application.watchapp": "watch-app",
  "com.apple.product-type.application.watchapp2": "watch-app",
  "com.apple.product-type.application.watchapp2-container": "application",
  "com.apple.product-type.watchkit-extension": "watch-extension",
  "com.apple.product-type.watchkit2-extension": "watch-extension",
  "com.apple.product-type.app-extension": "app-extension",
  "com.apple.product-type.app-extension.messages": "app-extension",
  "com.apple.product-type.app-extension.messages-sticker-pack": "app-extension",
  "com.apple.product-type.tv-app-extension": "app-extension",
  "com.apple.product-type.xcode-extension": "app-extension",
  "com.apple.product-type.intents-service-extension": "app-extension",
  "com.apple.product-type.extensionkit-extension": "extensionkit-extension",
  "com.apple.product-type.xpc-service": "xpc-service",
  "com.apple.product-type.system-extension": "system-extension",
  "com.apple.product-type.driver-extension": "driver-extension",
};

const NOT_SIGNABLE_REASON: Record<string, string> = {
  "com.apple.product-type.framework": "framework (signed on copy with the app's identity, no profile)",
  "com.apple.product-type.framework.static": "static framework",
  "com.apple.product-type.library.static": "static library",
  "com.apple.product-type.library.dynamic": "dynamic library (signed on copy, no profile)",
  "com.apple.product-type.bundle": "bundle (no profile)",
  "com.apple.product-type.bundle.unit-test": "unit test bundle",
  "com.apple.product-type.bundle.ui-testing": "UI test bundle",
  "com.apple.product-type.tool": "command-line tool (signed without a profile)",
  "com.apple.product-type.instruments-package": "Instruments package (developer tooling)",
  "com.apple.product-type.kernel-extension": "kernel extension",
  "com.apple.product-type.kernel-extension.iokit": "kernel extension",
  "com.apple.product-type.in-app-purchase-content": "in-app purchase content",
  "com.apple.product-type.metal-library": "Metal library",
};

export function signableKind(productType: string | undefined): SignableKind | undefined {
  return productType === undefined ? undefined : SIGNABLE[productType];
}

/** Why a target with this product type never gets a profile. */
export function notSignableReason(productType: string | undefined, isa: string): string {
  if (isa === "PBXAggregateTarget") return "aggregate target (runs scripts only)";
  if (isa === "PBXLegacyTarget") return "external build system target";
  if (productType === undefined) return "no product type";
  return NOT_SIGNABLE_REASON[productType] ?? `product type ${productType} is not signed with a profile`;
}

/** Kinds that are applications a user selects (others are only signed as part of an app). */
export function isApplicationKind(kind: SignableKind | undefined): boolean {
  return kind === "application" || kind === "messages-app";
}
