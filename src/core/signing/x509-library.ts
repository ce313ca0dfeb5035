// @peculiar/x509, initialised once: it needs the reflect-metadata polyfill loaded first and a WebCrypto
// provider. Every signing module imports x509 from here, never from the package directly.
import "reflect-metadata";
import { webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export { x509 };
