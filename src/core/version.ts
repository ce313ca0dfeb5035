// The action's version, sent in the User-Agent of every App Store Connect request.
export const VERSION = "1.0.0";
