// undici's EnvHttpProxyAgent (HTTPS_PROXY, HTTP_PROXY, NO_PROXY from the environment), imported from its
// own file rather than from undici's index: the index also loads fetch, WebSocket, the HTTP cache, cookies
// and mocks, and its cookie code reads globalThis.Headers, which makes Node load its own bundled undici
// too. The client only dispatches through this agent; loading the index cost every run about 35 ms of
// start-up (scripts/bench/README.md). undici is pinned to one version, and test/unit/env-proxy-agent.test.ts
// checks that this is the very class undici exports.
import envHttpProxyAgent from "undici/lib/dispatcher/env-http-proxy-agent.js";

export const EnvHttpProxyAgent = envHttpProxyAgent;
