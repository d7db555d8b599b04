/**
 * A refusal the person can act on. `kind` lets the web layer pick the HTTP status
 * without the domain knowing about HTTP.
 */
export type RefusalKind = "invalid" | "conflict" | "not_found" | "forbidden" | "gone" | "too_many" | "too_large";

export class Refusal extends Error {
  constructor(
    readonly kind: RefusalKind,
    message: string,
    /** The form field the message belongs to, when there is one. */
    readonly field?: string,
  ) {
    super(message);
  }
}

export const refuse = (kind: RefusalKind, message: string, field?: string): never => {
  throw new Refusal(kind, message, field);
};
