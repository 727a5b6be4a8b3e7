import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

/** The hashed fields of an audit event, exactly as stored. */
export interface ChainedFields {
  seq: number;
  time: Date;
  kind: string;
  requestId: string | null;
  transport: string;
  clientId: string | null;
  credentialId: string | null;
  credentialType: string | null;
  agentId: string | null;
  conversationId: string | null;
  endUserHash: string | null;
  tool: string | null;
  method: string | null;
  route: string | null;
  status: number | null;
  outcome: string;
  latencyMs: number | null;
  request: string;
  response: string;
  upstream: string;
  prevHash: string;
}

/**
 * Canonical form: a JSON array in a fixed field order, so the hash does not
 * depend on key order, and the previous hash is inside what is hashed.
 */
export function canonicalize(e: ChainedFields): string {
  return JSON.stringify([
    e.seq,
    e.time.toISOString(),
    e.kind,
    e.requestId,
    e.transport,
    e.clientId,
    e.credentialId,
    e.credentialType,
    e.agentId,
    e.conversationId,
    e.endUserHash,
    e.tool,
    e.method,
    e.route,
    e.status,
    e.outcome,
    e.latencyMs,
    e.request,
    e.response,
    e.upstream,
    e.prevHash,
  ]);
}

export function chainHash(e: ChainedFields): string {
  return createHash('sha256').update(canonicalize(e), 'utf8').digest('hex');
}

export interface ChainCheck {
  ok: boolean;
  checked: number;
  firstBrokenSeq: number | null;
  lastSeq: number | null;
  lastHash: string;
}

/**
 * Walks events in sequence order from an anchor (genesis or a purge
 * checkpoint) and names the first event whose number, link or hash is wrong.
 */
export class ChainVerifier {
  private expectedSeq: number;
  private prevHash: string;
  private checked = 0;
  private broken: number | null = null;

  constructor(anchor: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH }) {
    this.expectedSeq = anchor.seq + 1;
    this.prevHash = anchor.hash;
  }

  add(event: ChainedFields & { hash: string }): void {
    if (this.broken !== null) return;
    this.checked += 1;
    const linked = event.seq === this.expectedSeq && event.prevHash === this.prevHash;
    if (!linked || chainHash(event) !== event.hash) {
      this.broken = event.seq;
      return;
    }
    this.expectedSeq = event.seq + 1;
    this.prevHash = event.hash;
  }

  result(): ChainCheck {
    return {
      ok: this.broken === null,
      checked: this.checked,
      firstBrokenSeq: this.broken,
      lastSeq: this.expectedSeq - 1,
      lastHash: this.prevHash,
    };
  }
}
