import { timingSafeEqual } from 'node:crypto';
import { normalizeEmail, normalizePhone } from '../contact/normalize-contact.js';

export interface CustomerContact {
  email: string;
  phone: string;
}

/** What a caller offers to prove it speaks for the customer. */
export interface CustomerProof {
  customerEmail?: string;
  customerPhone?: string;
}

export function hasProof(proof: CustomerProof): boolean {
  return proof.customerEmail !== undefined || proof.customerPhone !== undefined;
}

/**
 * True when every contact detail the caller gave belongs to the customer, compared after the
 * same normalisation leads use (lower-cased email, E.164 phone). Giving nothing matches
 * vacuously; whether that is enough is the caller's policy decision.
 */
export function matchesCustomer(customer: CustomerContact, proof: CustomerProof): boolean {
  if (proof.customerEmail !== undefined) {
    if (!same(normalizeEmail(proof.customerEmail), normalizeEmail(customer.email))) return false;
  }
  if (proof.customerPhone !== undefined) {
    if (!same(normalizePhone(proof.customerPhone), normalizePhone(customer.phone))) return false;
  }
  return true;
}

// Constant-time, so response times do not tell how much of a guessed value was right.
function same(given: string | null, expected: string | null): boolean {
  if (given === null || expected === null) return false;
  const left = Buffer.from(given, 'utf8');
  const right = Buffer.from(expected, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
