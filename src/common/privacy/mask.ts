import { parsePhoneNumberFromString } from 'libphonenumber-js';

/** Fixed-width masks: the masked value reveals neither the length of the local part nor of the number. */
const EMAIL_MASK = '***';
const PHONE_MASK = '*******';
const PHONE_VISIBLE_DIGITS = 3;

/** "Trần Thị Lan" -> "T*** T** L**": enough for a customer to recognise, not to identify. */
export function maskName(name: string): string {
  return name
    .normalize('NFC')
    .trim()
    .split(/\s+/)
    .filter((word) => word.length > 0)
    .map((word) => {
      const [first = '', ...rest] = Array.from(word);
      return first + '*'.repeat(rest.length);
    })
    .join(' ');
}

/** "lan.tran@example.vn" -> "l***@e***.vn". */
export function maskEmail(email: string): string {
  const value = email.trim();
  const at = value.lastIndexOf('@');
  if (at < 0) return maskWord(value);
  const local = value.slice(0, at);
  const labels = value.slice(at + 1).split('.');
  const tld = labels.length > 1 ? `.${labels[labels.length - 1]}` : '';
  return `${maskWord(local)}@${maskWord(labels[0] ?? '')}${tld}`;
}

/** "+84901234567" -> "+84*******567": the country code and the last three digits stay. */
export function maskPhone(phone: string): string {
  const parsed = parsePhoneNumberFromString(phone, 'VN');
  const digits = phone.replace(/\D/g, '');
  const tail = digits.slice(-PHONE_VISIBLE_DIGITS);
  if (!parsed) return `${PHONE_MASK}${tail}`;
  const national = String(parsed.nationalNumber);
  return `+${parsed.countryCallingCode}${PHONE_MASK}${national.slice(-PHONE_VISIBLE_DIGITS)}`;
}

function maskWord(word: string): string {
  const [first] = Array.from(word);
  return first === undefined ? EMAIL_MASK : `${first}${EMAIL_MASK}`;
}
