/**
 * Setup, invite and reset links carry their one-time secret in the path. Logs go to the console,
 * the journal and whoever reads them, so the secret is cut out before a path is logged: otherwise
 * a link opened but not yet used could be taken from the log and used first.
 */
const SECRET_PATH = /^\/(setup|join|reset)\/[^/]+/;

/** The request path with any one-time secret replaced by a placeholder. */
export function loggablePath(path: string): string {
  return path.replace(SECRET_PATH, "/$1/[secret]");
}
