/**
 * Reading an uploaded CSV in one of Mastodon's export shapes (follows with its header
 * `Account address,Show boosts,...`, mutes with `Account address,Hide notifications`, blocks
 * as one address a line, domain blocks as one domain a line under an optional `#domain`, lists
 * as `list title,account address` lines under an optional `List name,Account address`, bookmarks
 * as one post address a line under an optional `#uri`) into rows
 * to import. Binary files, files of another shape and files over the row cap are refused whole,
 * with a reason; a bad value in one row fails that row only.
 */
import { refuse } from "../errors.ts";
import type { ImportKind } from "../../db/schema.ts";

/** Rows imported from one file at most; bigger files are refused with a message to split them. */
export const MAX_IMPORT_ROWS = 50_000;

/** What a row carries besides its target. */
export interface ImportOptions {
  /** Follows: whether to show the account's boosts (Mastodon's second column). */
  showBoosts?: boolean;
  /** Lists: the title of the list the account goes in. */
  list?: string;
}

export interface ImportRow {
  /** An account address (`user@domain`), a domain (domain blocks) or a post's address (bookmarks), as written in the file. */
  target: string;
  options: ImportOptions;
}

const ADDRESS = /^@?[^@\s,]+@[^@\s,]+$/;
/** Loose on purpose: a row with a malformed domain fails alone, when it is processed. */
const DOMAIN_LIKE = /^[^@\s,/]+$/;

/** How one kind of file looks: its Mastodon header, whether a first line without it fits, and its rows. */
interface FileShape {
  header: string;
  /** What the file lists, and an example line, for the message when it does not fit. */
  holds: string;
  example: string;
  fits(fields: string[]): boolean;
  row(fields: string[]): ImportRow;
}

const address = (field: string | undefined) => (field ?? "").trim().replace(/^@/, "");
const accounts = (header: string, row: (fields: string[]) => ImportOptions = () => ({})): FileShape => ({
  header,
  holds: "a list of accounts",
  example: "an address like someone@example.social",
  fits: (fields) => ADDRESS.test(fields[0] ?? ""),
  row: (fields) => ({ target: address(fields[0]), options: row(fields) }),
});

const SHAPES: Record<ImportKind, FileShape> = {
  follows: accounts("Account address,Show boosts,Notify on new posts,Languages", (fields) => ({ showBoosts: fields[1]?.trim().toLowerCase() !== "false" })),
  blocks: accounts("Account address"),
  mutes: accounts("Account address,Hide notifications"),
  domain_blocks: {
    header: "#domain",
    holds: "a list of domains",
    example: "a domain like example.social",
    fits: (fields) => DOMAIN_LIKE.test(fields[0] ?? "") && (fields[0] ?? "").includes("."),
    row: (fields) => ({ target: (fields[0] ?? "").trim().toLowerCase(), options: {} }),
  },
  lists: {
    header: "List name,Account address",
    holds: "lists of accounts",
    example: "a list's name, a comma and an address like someone@example.social",
    fits: (fields) => fields.length >= 2 && ADDRESS.test(fields[1]!.trim()),
    row: (fields) => ({ target: address(fields[1]), options: { list: (fields[0] ?? "").trim() } }),
  },
  bookmarks: {
    header: "#uri",
    holds: "a list of posts",
    example: "a post's address like https://example.social/@someone/1234",
    fits: (fields) => /^https?:\/\//i.test(fields[0] ?? ""),
    row: (fields) => ({ target: (fields[0] ?? "").trim(), options: {} }),
  },
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
  const shape = SHAPES[kind];
  const first = rows[0]!.map((f) => f.trim());
  const hasHeader = first[0]?.toLowerCase() === shape.header.split(",")[0]!.toLowerCase();
  const body = hasHeader ? rows.slice(1) : rows;
  if (!hasHeader && !shape.fits(first)) {
    return refuse("invalid", `That file does not look like ${shape.holds}: its first line is "${first.join(",").slice(0, 80)}". A ${kind.replace("_", " ")} file from Mastodon starts with "${shape.header}" or with ${shape.example}.`, "file");
  }
  if (body.length > MAX_IMPORT_ROWS) {
    return refuse("too_large", `That file has ${body.length.toLocaleString("en")} rows; at most ${MAX_IMPORT_ROWS.toLocaleString("en")} are imported at once. Split it into smaller files.`, "file");
  }
  return body.map((fields) => shape.row(fields));
}

/** True when the value is shaped like `user@domain`; rows that are not fail alone. */
export const isAccountAddress = (value: string) => ADDRESS.test(value);
