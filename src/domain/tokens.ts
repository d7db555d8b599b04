/**
 * One-time secrets (sessions, invites, setup and reset links). Only a SHA-256 of each
 * token is stored, so a copy of the database does not let anyone log in or join.
 */
import { createHash, randomBytes } from "node:crypto";

export const newToken = (): string => randomBytes(32).toString("base64url");

export const hashToken = (token: string): string => createHash("sha256").update(token).digest("base64url");
