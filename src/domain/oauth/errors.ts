/** A refused OAuth request, named with RFC 6749's error codes so the web layer can answer as Mastodon does. */
export type OAuthErrorCode = "invalid_request" | "invalid_client" | "invalid_grant" | "invalid_scope" | "unsupported_grant_type" | "unauthorized_client";

/** The descriptions Doorkeeper (Mastodon's OAuth library) sends with each code. */
export const OAUTH_DESCRIPTIONS: Record<OAuthErrorCode, string> = {
  invalid_request: "The request is missing a required parameter, includes an unsupported parameter value, or is otherwise malformed.",
  invalid_client: "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.",
  invalid_grant: "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.",
  invalid_scope: "The requested scope is invalid, unknown, or malformed.",
  unsupported_grant_type: "The authorization grant type is not supported by the authorization server.",
  unauthorized_client: "You are not authorized to revoke this token",
};

export class OAuthRefusal extends Error {
  constructor(readonly code: OAuthErrorCode, description?: string) {
    super(description ?? OAUTH_DESCRIPTIONS[code]);
  }
}
