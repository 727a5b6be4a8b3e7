import { parsePhoneNumberFromString } from 'libphonenumber-js';

/** Vietnamese numbers may be given in national format (0912 345 678); others need +country. */
export const DEFAULT_PHONE_REGION = 'VN';

// libphonenumber extracts a number from surrounding text ("call 0912..."), which would
// let free text pass as a phone; only characters that appear in written numbers are allowed.
const PHONE_CHARACTERS = /^\+?[\d\s().-]{6,32}$/;

/** Trimmed and lower-cased; null when nothing is left. */
export function normalizeEmail(value: string): string | null {
  const email = value.trim().toLowerCase();
  return email === '' ? null : email;
}

/** E.164 (`+84912345678`), or null when the value is not a valid phone number. */
export function normalizePhone(value: string): string | null {
  const trimmed = value.trim();
  if (!PHONE_CHARACTERS.test(trimmed)) return null;
  const phone = parsePhoneNumberFromString(trimmed, DEFAULT_PHONE_REGION);
  return phone?.isValid() ? phone.number : null;
}
