/**
 * Reading an uploaded CSV in one of Mastodon's export shapes (follows with its header
 * `Account address,Show boosts,...`, mutes with `Account address,Hide notifications`, blocks
 * as one address a line) into rows to import. Binary files, files with other columns and files
 * over the row cap are refused whole, with a reason; a bad value in one row fails that row only.
 */
import { refuse } from "../errors.ts";
import type { ImportKind } from "../../db/schema.ts";

/** Rows imported from one file at most; bigger files are refused with a message to split them. */
export const MAX_IMPORT_ROWS = 50_000;

export interface ImportRow {
  /** An account address (`user@domain`), as written in the file. */
  target: string;
  /** Follows: whether to show the account's boosts (Mastodon's second column). */
  showBoosts?: boolean;
}

const ADDRESS = /^@?[^@\s,]+@[^@\s,]+$/;
const HEADERS: Record<ImportKind, string> = {
  follows: "Account address,Show boosts,Notify on new posts,Languages",
  blocks: "Account address",
  mutes: "Account address,Hide notifications",
};

/** Splits CSV text (RFC 4180: quoted fields may hold commas, quotes and line breaks) into rows of fields. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === "") quoted = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += ch;
  }
  if (field !== "" || row.length) rows.push([...row, field]);
  return rows.filter((r) => r.some((f) => f.trim() !== ""));
}

/** The rows of an uploaded file for an import of `kind`, or a refusal that says what is wrong with it. */
export function readImportFile(kind: ImportKind, bytes: Uint8Array): ImportRow[] {
  let text: string;
  try {
    if (bytes.includes(0)) throw new Error("NUL byte");
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes).replace(/^\uFEFF/, "");
  } catch {
    return refuse("invalid", "That file is not a CSV file: it holds binary data. Choose the .csv file your old server exported.", "file");
  }
  const rows = parseCsv(text);
  if (!rows.length) return refuse("invalid", "That file is empty.", "file");
  const first = rows[0]!.map((f) => f.trim());
  const hasHeader = first[0]?.toLowerCase() === "account address";
  const body = hasHeader ? rows.slice(1) : rows;
  if (!hasHeader && !ADDRESS.test(first[0] ?? "")) {
    return refuse("invalid", `That file does not look like a list of accounts: its first line is "${first.join(",").slice(0, 80)}". A ${kind} file from Mastodon starts with "${HEADERS[kind]}" or with an address like someone@example.social.`, "file");
  }
  if (body.length > MAX_IMPORT_ROWS) {
    return refuse("too_large", `That file has ${body.length.toLocaleString("en")} rows; at most ${MAX_IMPORT_ROWS.toLocaleString("en")} are imported at once. Split it into smaller files.`, "file");
  }
  return body.map((fields) => {
    const target = fields[0]!.trim().replace(/^@/, "");
    const showBoosts = fields[1]?.trim().toLowerCase();
    return kind === "follows" ? { target, showBoosts: showBoosts !== "false" } : { target };
  });
}

/** True when the value is shaped like `user@domain`; rows that are not fail alone. */
export const isAccountAddress = (value: string) => ADDRESS.test(value);
