/**
 * Muted words: a post containing one is hidden from the member's streams (action "hide") or shown
 * collapsed behind a note saying why ("collapse"). Matching ignores case and looks at the content
 * warning and the text.
 */
import { compiledOnce } from "../../db/compiledOnce.ts";
import type { Db } from "../../db/open.ts";
import { now } from "../clock.ts";
import { refuse } from "../errors.ts";

export const MAX_MUTED_WORD = 100;
export const MAX_MUTED_WORDS = 200;
export type MutedWordAction = "hide" | "collapse";

export async function addMutedWord(db: Db, accountId: number, input: { word: string; action: string }): Promise<void> {
  const word = input.word.trim();
  if (!word) refuse("invalid", "Type the word or phrase to mute.", "word");
  if (word.length > MAX_MUTED_WORD) refuse("invalid", `A muted word can be at most ${MAX_MUTED_WORD} characters.`, "word");
  if (input.action !== "hide" && input.action !== "collapse") refuse("invalid", "Choose whether to hide or collapse posts with this word.", "action");
  await db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom("muted_words").select(["id", "word"]).where("account_id", "=", accountId).execute();
    if (existing.length >= MAX_MUTED_WORDS) refuse("invalid", `You can mute at most ${MAX_MUTED_WORDS} words; remove one first.`, "word");
    if (existing.some((w) => w.word.toLowerCase() === word.toLowerCase())) refuse("conflict", `"${word}" is already muted.`, "word");
    await trx.insertInto("muted_words")
      .values({ account_id: accountId, word, action: input.action as MutedWordAction, created_at: now() })
      .execute();
  });
}

export async function removeMutedWord(db: Db, accountId: number, id: number): Promise<void> {
  await db.deleteFrom("muted_words").where("id", "=", id).where("account_id", "=", accountId).execute();
}

/** The member's muted words, alphabetically: asked for every page of posts. */
export async function listMutedWords(db: Db, accountId: number) {
  return mutedWordsOf(db, {}, { accountId });
}

/** Built once (see compiledOnce). */
const mutedWordsOf = compiledOnce((db: Db, _shape: object, v: { accountId: number }) => db.selectFrom("muted_words")
  .select(["id", "word", "action"]).where("account_id", "=", v.accountId).orderBy("word"));

/** The muted word a post's text contains, if any (the first in the list). */
export function matchingWord(words: { word: string }[], text: string): string | null {
  const haystack = text.toLowerCase();
  return words.find((w) => haystack.includes(w.word.toLowerCase()))?.word ?? null;
}
