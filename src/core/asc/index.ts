// The App Store Connect client and its resource modules.
export * from "./api-host.ts";
export * from "./apps.ts";
export * from "./bundle-ids.ts";
export * from "./capabilities.ts";
export * from "./certificates.ts";
export * from "./devices.ts";
export * from "./error-mapping.ts";
export * from "./exchange.ts";
export * from "./http.ts";
export * from "./json-api.ts";
export * from "./profiles.ts";
export * from "./rate-limit.ts";
export * from "./retry-policy.ts";
export * from "./token.ts";
export * from "./types.ts";
