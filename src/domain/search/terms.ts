/**
 * What a person types into the search box, turned into an FTS5 MATCH expression that cannot carry
 * FTS5 syntax: only runs of letters and digits are kept, each one (or each "quoted phrase") goes in
 * double quotes, and the terms are ANDed. So `"`, `NEAR(`, `*`, `col:`, `AND`, SQL-looking input and
 * unbalanced quotes all become plain words or nothing, never a syntax error.
 */
import { refuse } from "../errors.ts";

export const MAX_QUERY_LENGTH = 500;
const MAX_TERMS = 16;

/** The same idea of a word as FTS5's unicode61 tokenizer: letters, digits and combining marks. */
const WORD = /[\p{L}\p{N}\p{M}]+/gu;

export interface SearchTerms {
  /** The FTS5 MATCH expression, or null when the query holds no word at all. */
  match: string | null;
  /** The words searched for, lower-cased, for the page to repeat back. */
  words: string[];
}

const wordsIn = (text: string): string[] => (text.normalize("NFKC").match(WORD) ?? []).map((w) => w.toLowerCase());

/** Parses a query; refuses one too long to be a search. */
export function searchTerms(query: string): SearchTerms {
  if (query.length > MAX_QUERY_LENGTH) {
    refuse("invalid", `That search is too long: search for at most ${MAX_QUERY_LENGTH} characters.`, "q");
  }
  // Quotes pair up left to right; an unpaired last quote is ignored, so its words are searched one by one.
  const parts = query.split('"');
  const paired = parts.length % 2 === 1 ? parts : [...parts.slice(0, -2), `${parts.at(-2)} ${parts.at(-1)}`];
  const phrases: string[][] = [];
  paired.forEach((part, i) => {
    const words = wordsIn(part);
    if (i % 2 === 1) {
      if (words.length) phrases.push(words);
    } else {
      for (const word of words) phrases.push([word]);
    }
  });
  const kept = phrases.slice(0, MAX_TERMS);
  if (kept.length === 0) return { match: null, words: [] };
  // Whole words only: a prefix (`word*`) merges the lists of every word it starts, which measured
  // 20 ms for one common prefix on 500,000 posts, against 0.2 ms for the word itself.
  return { match: kept.map((phrase) => `"${phrase.join(" ")}"`).join(" "), words: kept.flat() };
}
