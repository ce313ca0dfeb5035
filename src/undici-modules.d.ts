// The one file of undici imported directly (src/core/asc/env-proxy-agent.ts), typed as undici types it.
declare module "undici/lib/dispatcher/env-http-proxy-agent.js" {
  import type { EnvHttpProxyAgent } from "undici";

  const agent: typeof EnvHttpProxyAgent;
  export default agent;
}
