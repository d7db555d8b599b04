/** The words of sanitized HTML: what search indexes and snippets show for posts that arrive as HTML. */

const ENTITIES: Record<string, string> = { "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'", "&amp;": "&" };

/**
 * Text of HTML that has been through the one sanitizer (so tags are well formed and the only
 * entities are the five it writes). Tags become spaces, so words of two paragraphs stay apart.
 */
export function plainText(sanitizedHtml: string): string {
  return sanitizedHtml
    .replace(/<[^>]*>/g, " ")
    .replace(/&(lt|gt|quot|#39|amp);/g, (entity) => ENTITIES[entity]!)
    .replace(/\s+/g, " ")
    .trim();
}
