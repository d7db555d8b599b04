/**
 * OPML, the list of feeds feed readers export and import: read to add many sources at once, and
 * written (opmlOf) so a member's sources can be exported the same way. Both through feedsmith.
 */
import { generateOpml, parseOpml } from "feedsmith";
import type { Db } from "../../db/open.ts";
import type { Audience } from "../../db/schema.ts";
import { Refusal, refuse } from "../errors.ts";
import { isHttpUrl } from "../text/urls.ts";
import { checkSourceFields, insertSource, MAX_LABEL } from "./sources.ts";

/** Largest OPML file read. */
export const MAX_OPML_BYTES = 1024 * 1024;

export interface OpmlFeed {
  label: string;
  url: string;
}

type Outline = { text?: string; title?: string; xmlUrl?: string; outlines?: Outline[] };

/** The feeds an OPML document lists, folders flattened, in document order. */
export function readOpml(text: string): OpmlFeed[] {
  let doc: { body?: { outlines?: Outline[] } };
  try {
    doc = parseOpml(text) as typeof doc;
  } catch {
    return refuse("invalid", "This file is not an OPML list of feeds (export one from your feed reader).", "opml");
  }
  const feeds: OpmlFeed[] = [];
  const walk = (outlines: Outline[] = []) => {
    for (const o of outlines) {
      const url = o.xmlUrl?.trim();
      if (url && isHttpUrl(url)) feeds.push({ url, label: (o.title || o.text || new URL(url).host).trim().slice(0, MAX_LABEL) });
      walk(o.outlines);
    }
  };
  walk(doc.body?.outlines);
  return feeds;
}

/** An OPML document listing these sources, for export to a feed reader or another camp. */
export function opmlOf(title: string, sources: { label: string; url: string }[]): string {
  return generateOpml({
    head: { title },
    body: { outlines: sources.map((s) => ({ text: s.label, title: s.label, type: "rss", xmlUrl: s.url })) },
  });
}

export interface OpmlImportResult {
  added: number;
  skipped: { url: string; reason: string }[];
}

/** Adds every feed of an OPML file as a source with the given audience; each is checked by its first poll. */
export async function importOpml(db: Db, accountId: number, text: string, audience: string): Promise<OpmlImportResult> {
  const feeds = readOpml(text);
  if (feeds.length === 0) refuse("invalid", "This OPML file lists no feeds.", "opml");
  const result: OpmlImportResult = { added: 0, skipped: [] };
  for (const feed of feeds) {
    try {
      const fields = checkSourceFields({ url: feed.url, label: feed.label, audience });
      await insertSource(db, accountId, { ...fields, audience: fields.audience as Audience });
      result.added++;
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      // A bad audience refuses the whole file; a duplicate or a full list refuses only that feed.
      if (error.field === "audience") throw error;
      result.skipped.push({ url: feed.url, reason: error.message });
    }
  }
  return result;
}
