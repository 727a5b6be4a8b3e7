import { describe, expect, it } from '@jest/globals';
import { maskEmail, maskName, maskPhone } from './mask.js';

describe('mask', () => {
  describe(maskName.name, () => {
    it('keeps the first letter of each word', () => {
      expect(maskName('Trần Thị Lan')).toBe('T*** T** L**');
    });

    it('counts Vietnamese letters as one character whatever their Unicode form', () => {
      expect(maskName('Đặng Ngọc Ánh'.normalize('NFD'))).toBe('Đ*** N*** Á**');
    });

    it('collapses extra spaces', () => {
      expect(maskName('  Nguyễn   An ')).toBe('N***** A*');
    });

    it('returns an empty string for an empty name', () => {
      expect(maskName('')).toBe('');
    });
  });

  describe(maskEmail.name, () => {
    it('keeps the first letters and the top-level domain', () => {
      expect(maskEmail('lan.tran@example.vn')).toBe('l***@e***.vn');
    });

    it('keeps only the last label of a multi-level domain', () => {
      expect(maskEmail('an@mail.company.com.vn')).toBe('a***@m***.vn');
    });

    it('masks a value that is not an email', () => {
      expect(maskEmail('lantran')).toBe('l***');
    });
  });

  describe(maskPhone.name, () => {
    it('keeps the country code and the last three digits', () => {
      expect(maskPhone('+84901234567')).toBe('+84*******567');
    });

    it('reads a Vietnamese local number as +84', () => {
      expect(maskPhone('0901 234 567')).toBe('+84*******567');
    });

    it('masks a value that is not a phone number', () => {
      expect(maskPhone('n/a')).toBe('*******');
    });
  });
});
