import { timingSafeEqual } from 'node:crypto';
import { parsePhoneNumberFromString } from 'libphonenumber-js';

/** Vietnam first: local numbers such as "0901 234 567" are read as +84. */
const DEFAULT_PHONE_COUNTRY = 'VN';

export interface CustomerContact {
  email: string;
  phone: string;
}

/** What a caller offers to prove it speaks for the customer. */
export interface CustomerProof {
  customerEmail?: string;
  customerPhone?: string;
}

export function normalizeEmail(value: string): string {
  return value.trim().toLowerCase();
}

/** E.164 ("+84901234567"), or null when the value is not a phone number at all. */
export function normalizePhone(value: string): string | null {
  return parsePhoneNumberFromString(value.trim(), DEFAULT_PHONE_COUNTRY)?.number ?? null;
}

export function hasProof(proof: CustomerProof): boolean {
  return proof.customerEmail !== undefined || proof.customerPhone !== undefined;
}

/**
 * True when every contact detail the caller gave belongs to the customer. Giving nothing
 * matches vacuously; whether that is enough is the caller's policy decision.
 */
export function matchesCustomer(customer: CustomerContact, proof: CustomerProof): boolean {
  if (proof.customerEmail !== undefined) {
    if (!sameText(normalizeEmail(proof.customerEmail), normalizeEmail(customer.email)))
      return false;
  }
  if (proof.customerPhone !== undefined) {
    const given = normalizePhone(proof.customerPhone);
    const expected = normalizePhone(customer.phone);
    if (given === null || expected === null || !sameText(given, expected)) return false;
  }
  return true;
}

// Constant-time so the response time does not tell how much of a guessed email was right.
function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
