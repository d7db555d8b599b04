/**
 * Password hashing with scrypt (memory-hard), from node:crypto so the stored format
 * `scrypt$N$r$p$salt$hash` is produced and checked identically under Bun and Node.
 */
import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import { refuse } from "../errors.ts";

const N = 1 << 15;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;
export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 200;

function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize("NFKC"), salt, KEY_LENGTH, { N: n, r, p, maxmem: 256 * n * r }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/** Refuses passwords too short to protect an account or too long to hash cheaply. */
export function checkPasswordStrength(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    refuse("invalid", `Choose a password of at least ${MIN_PASSWORD_LENGTH} characters.`, "password");
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    refuse("invalid", `Passwords can be at most ${MAX_PASSWORD_LENGTH} characters.`, "password");
  }
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, N, R, P);
  return ["scrypt", N, R, P, salt.toString("base64"), key.toString("base64")].join("$");
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !hash || password.length > MAX_PASSWORD_LENGTH) return false;
  const expected = Buffer.from(hash, "base64");
  const key = await derive(password, Buffer.from(salt, "base64"), Number(n), Number(r), Number(p));
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A real hash of nothing in particular, checked against for unknown handles so timing gives nothing away. */
let decoy: Promise<string> | undefined;
export const decoyHash = (): Promise<string> => (decoy ??= hashPassword(randomBytes(16).toString("hex")));
