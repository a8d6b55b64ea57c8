/**
 * The LIKE patterns of a search box's text, one per word (split on white space, lower-cased,
 * `%`, `_` and `\` taken literally): a row matches when its lower-cased text contains every
 * word, in any order. Each word on its own is a short trigram probe; the whole phrase as one
 * pattern made the index intersect the posting lists of the trigrams around the spaces, which
 * occur in most rows. A single word (an MPN fragment) matches as before.
 */
export function searchPatterns(text: string): string[] {
  return searchWords(text).map(likePattern);
}

/** The distinct lower-cased words of a search box's text, longest first (usually the most selective). */
export function searchWords(text: string): string[] {
  return [...new Set(text.toLowerCase().split(/\s+/).filter(Boolean))].sort((a, b) => b.length - a.length);
}

/** A LIKE pattern matching text that contains `word` (`%`, `_` and `\` taken literally). */
export function likePattern(word: string): string {
  return `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
