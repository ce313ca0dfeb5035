// Which platforms a target builds for: its SDKROOT, or with `SDKROOT = auto` (multiplatform targets)
// its SUPPORTED_PLATFORMS; plus Mac Catalyst when an iOS target sets SUPPORTS_MACCATALYST.
import type { BuildSettings } from "./build-settings.ts";

export type TargetPlatform = "ios" | "macos" | "tvos" | "watchos" | "visionos" | "driverkit";

export interface TargetPlatforms {
  platforms: TargetPlatform[];
  supportsCatalyst: boolean;
}

const SDK_PLATFORM: [RegExp, TargetPlatform][] = [
  [/^(iphoneos|iphonesimulator)/i, "ios"],
  [/^macosx/i, "macos"],
  [/^(watchos|watchsimulator)/i, "watchos"],
  [/^(appletvos|appletvsimulator)/i, "tvos"],
  [/^(xros|xrsimulator)/i, "visionos"],
  [/^driverkit/i, "driverkit"],
];

/** The device SDK each platform signs for. */
export const DEVICE_SDK: Record<TargetPlatform, string> = {
  ios: "iphoneos",
  macos: "macosx",
  tvos: "appletvos",
  watchos: "watchos",
  visionos: "xros",
  driverkit: "driverkit",
};

/** `platformFilter` names (Xcode writes them on build files and dependencies). */
export const PLATFORM_FILTER: Record<TargetPlatform | "catalyst", string> = {
  ios: "ios",
  macos: "macos",
  tvos: "tvos",
  watchos: "watchos",
  visionos: "xros",
  driverkit: "driverkit",
  catalyst: "maccatalyst",
};

function sdkPlatform(word: string): TargetPlatform | undefined {
  // A name (`iphoneos`) or a path (`…/iPhoneOS18.0.sdk`).
  const name = word.includes("/") ? (word.split("/").at(-1) ?? "").replace(/\.sdk$/i, "") : word;
  return SDK_PLATFORM.find(([re]) => re.test(name))?.[1];
}

/** Platforms from settings evaluated without an SDK condition. */
export function targetPlatforms(settings: BuildSettings): TargetPlatforms {
  const sdkroot = settings.value("SDKROOT").trim();
  const platforms: TargetPlatform[] = [];
  const add = (platform: TargetPlatform | undefined) => {
    if (platform && !platforms.includes(platform)) platforms.push(platform);
  };
  if (sdkroot && sdkroot !== "auto") add(sdkPlatform(sdkroot));
  if (platforms.length === 0 || sdkroot === "auto") {
    for (const word of settings.value("SUPPORTED_PLATFORMS").split(/\s+/).filter(Boolean))
      add(sdkPlatform(word));
  }
  const supportsCatalyst = platforms.includes("ios") && settings.value("SUPPORTS_MACCATALYST") === "YES";
  return { platforms, supportsCatalyst };
}
