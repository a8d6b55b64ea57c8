/** The distinct lower-cased words of a search box's text, longest first (usually the most selective). */
export function searchWords(text: string): string[] {
  return [...new Set(text.toLowerCase().split(/\s+/).filter(Boolean))].sort((a, b) => b.length - a.length);
}

/** A LIKE pattern matching text that contains `word` (`%`, `_` and `\` taken literally). */
export function likePattern(word: string): string {
  return `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
