/**
 * Mentions and hashtags in a post's markdown, found by the same marked extension that links them,
 * so text inside code spans and code blocks is never taken for a mention or a tag.
 */
import { Marked, type TokenizerAndRendererExtension, type Tokens } from "marked";

/** `@handle` or `@user@domain`; the domain may carry a port (test camps on 127.0.0.1:PORT). */
const MENTION = /^@([A-Za-z0-9_]{1,30})(?:@((?:[A-Za-z0-9-]+\.)+[A-Za-z0-9-]+(?::\d{1,5})?|localhost(?::\d{1,5})?))?(?![A-Za-z0-9_@])/;
/** `#tag`: letters, digits and underscores, with at least one letter, so "#1" stays text. */
const HASHTAG = /^#([\p{L}\p{N}_]*\p{L}[\p{L}\p{N}_]*)(?![\p{L}\p{N}_])/u;
/** Where a mention or tag may begin: at the start or after something that is not part of a word. */
const START = /(^|[^\p{L}\p{N}_@#/&])[@#]/u;

export const MAX_TAG_LENGTH = 64;

export interface MentionToken extends Tokens.Generic {
  type: "mention";
  raw: string;
  handle: string;
  /** Null for `@handle`; the other server's name for `@user@domain`. */
  domain: string | null;
}

export interface HashtagToken extends Tokens.Generic {
  type: "hashtag";
  raw: string;
  tag: string;
}

const startOf = (src: string): number | undefined => {
  const match = START.exec(src);
  return match ? match.index + match[1]!.length : undefined;
};

/** The tokenizers only; rendering is added by the caller, who knows which mentions resolve. */
export function referenceTokenizers(render: {
  mention: (token: MentionToken) => string;
  hashtag: (token: HashtagToken) => string;
}): TokenizerAndRendererExtension[] {
  return [
    {
      name: "mention",
      level: "inline",
      start: startOf,
      tokenizer(src) {
        const match = MENTION.exec(src);
        if (!match) return undefined;
        return { type: "mention", raw: match[0], handle: match[1]!, domain: match[2]?.toLowerCase() ?? null } as MentionToken;
      },
      renderer: (token) => render.mention(token as MentionToken),
    },
    {
      name: "hashtag",
      level: "inline",
      start: startOf,
      tokenizer(src) {
        const match = HASHTAG.exec(src);
        if (!match || match[1]!.length > MAX_TAG_LENGTH) return undefined;
        return { type: "hashtag", raw: match[0], tag: match[1]! } as HashtagToken;
      },
      renderer: (token) => render.hashtag(token as HashtagToken),
    },
  ];
}

/** Tags are compared and stored in lower case, so #Garden and #garden are one tag page. */
export const normalizeTag = (tag: string): string => tag.normalize("NFC").toLowerCase();

export interface References {
  /** Local handles as written (`@handle`, or `@handle@this-domain`). */
  localHandles: string[];
  /** `user@domain` of people on other servers, in lower case. */
  remote: string[];
  /** Normalized tags. */
  tags: string[];
}

const finder = new Marked({ gfm: true, breaks: true, async: false });
finder.use({ extensions: referenceTokenizers({ mention: () => "", hashtag: () => "" }) });

/** Every mention and tag in the source, each once, in the order written. */
export function findReferences(source: string, localDomain: string): References {
  const local = new Map<string, string>();
  const remote = new Set<string>();
  const tags = new Set<string>();
  finder.walkTokens(finder.lexer(source), (token) => {
    if (token.type === "mention") {
      const m = token as MentionToken;
      if (m.domain === null || m.domain === localDomain) local.set(m.handle.toLowerCase(), m.handle);
      else remote.add(`${m.handle.toLowerCase()}@${m.domain}`);
    } else if (token.type === "hashtag") {
      tags.add(normalizeTag((token as HashtagToken).tag));
    }
  });
  return { localHandles: [...local.values()], remote: [...remote], tags: [...tags] };
}
