/** What every client API handler can reach: the web environment plus the token's holder. */
import type { TokenHolder } from "../../domain/oauth/tokens.ts";
import type { WebEnv } from "../env.ts";

export interface ApiEnv {
  Bindings: WebEnv["Bindings"];
  Variables: WebEnv["Variables"] & {
    /** The bearer token's holder, or null for a request without a token. */
    token: TokenHolder | null;
  };
}
