import { describe, expect, it } from '@jest/globals';

import { normalizeSearchText, searchTerms } from './normalize-search.js';

describe(normalizeSearchText.name, () => {
  it.each([
    ['Bàn gỗ  Sồi', 'ban go soi'],
    ['Bàn gỗ sồi 120cm', 'ban go soi 120cm'],
    ['Ghế xoay văn phòng', 'ghe xoay van phong'],
    ['Đèn LED âm trần 12W', 'den led am tran 12w'],
    ['Nguyễn Thị Ánh Tuyết', 'nguyen thi anh tuyet'],
    ['Ấm siêu tốc Điện Quang', 'am sieu toc dien quang'],
  ])('folds Vietnamese diacritics and đ in %p', (input, expected) => {
    expect(normalizeSearchText(input)).toBe(expected);
  });

  it('lower-cases upper-case text, including Đ', () => {
    expect(normalizeSearchText('ĐÈN LED')).toBe('den led');
    expect(normalizeSearchText('OAK DESK 140CM')).toBe('oak desk 140cm');
  });

  it('collapses punctuation and whitespace runs into single spaces', () => {
    expect(normalizeSearchText('  Ổ cắm -- 4 lỗ, 3m!!  ')).toBe('o cam 4 lo 3m');
    expect(normalizeSearchText('DESK-OAK-140')).toBe('desk oak 140');
    expect(normalizeSearchText('a\t\nb')).toBe('a b');
  });

  it('returns an empty string for empty or punctuation-only input', () => {
    expect(normalizeSearchText('')).toBe('');
    expect(normalizeSearchText('   ')).toBe('');
    expect(normalizeSearchText('--- ?! ---')).toBe('');
  });

  it('is idempotent', () => {
    const once = normalizeSearchText('Bàn trà mặt kính Ø80');
    expect(normalizeSearchText(once)).toBe(once);
  });
});

describe(searchTerms.name, () => {
  it('splits a normalised query into terms', () => {
    expect(searchTerms('Bàn  gỗ, SỒI')).toEqual(['ban', 'go', 'soi']);
  });

  it('returns no terms for an empty query', () => {
    expect(searchTerms('')).toEqual([]);
    expect(searchTerms(' - ')).toEqual([]);
  });

  it('keeps at most eight terms', () => {
    expect(searchTerms('a b c d e f g h i j')).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
  });
});
