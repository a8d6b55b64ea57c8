/**
 * The LIKE patterns of a search box's text, one per word (split on white space, lower-cased,
 * `%`, `_` and `\` taken literally): a row matches when its lower-cased text contains every
 * word, in any order. Each word on its own is a short trigram probe; the whole phrase as one
 * pattern made the index intersect the posting lists of the trigrams around the spaces, which
 * occur in most rows. A single word (an MPN fragment) matches as before.
 */
export function searchPatterns(text: string): string[] {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  return [...new Set(words)].map((word) => `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
}
