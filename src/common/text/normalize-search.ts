const MAX_SEARCH_TERMS = 8;

/**
 * Folds text for accent-insensitive search: "Bàn gỗ  Sồi" -> "ban go soi", "ĐÈN LED" -> "den led".
 * The same function builds Product.nameNormalized and the query terms, so both sides always match.
 */
export function normalizeSearchText(input: string): string {
  return (
    input
      // Lower-casing first keeps marks that lower-casing itself adds (İ -> i̇) from surviving.
      .toLowerCase()
      .normalize('NFD')
      .replace(/\p{M}+/gu, '')
      // đ is a letter of its own, not d with a combining mark, so NFD leaves it alone.
      .replace(/đ/g, 'd')
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim()
  );
}

export function searchTerms(q: string): string[] {
  return normalizeSearchText(q)
    .split(' ')
    .filter((term) => term.length > 0)
    .slice(0, MAX_SEARCH_TERMS);
}
