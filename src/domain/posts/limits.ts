/** The limits on what a post may hold, shown to the author next to each field. */
import { refuse } from "../errors.ts";

export const MAX_POST_CHARS = 5000;
export const MAX_CONTENT_WARNING = 500;
export const MAX_ATTACHMENTS = 4;
export const MAX_ALT = 1500;

/** Characters as a person counts them (code points, so an emoji is one), matching the live counter. */
export const charCount = (text: string): number => [...text].length;

/** Checks the text parts of a post; refuses with the field the problem is in. */
export function checkPostText(input: { source: string; contentWarning: string }, hasImages: boolean): void {
  if (!input.source.trim() && !hasImages) refuse("invalid", "Write something before posting (or attach an image).", "source");
  const length = charCount(input.source);
  if (length > MAX_POST_CHARS) {
    refuse("invalid", `Posts can be at most ${MAX_POST_CHARS} characters; this one has ${length}. Shorten it or split it into a thread.`, "source");
  }
  if (charCount(input.contentWarning) > MAX_CONTENT_WARNING) {
    refuse("invalid", `A content warning can be at most ${MAX_CONTENT_WARNING} characters.`, "contentWarning");
  }
}
