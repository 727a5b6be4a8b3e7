import type { JiraSettings } from '../../config/connectors-config.js';
import type { SinkDelivery } from '../ports/sinks.port.js';

/** Jira's limit on `summary`. */
export const SUMMARY_MAX = 255;
/** Below Jira's 32,767-character limit on text fields, leaving room for the details block. */
export const DESCRIPTION_MAX = 30_000;
const LABEL_MAX = 255;

export interface JiraIssueFields {
  project: { key: string };
  issuetype: { name: string };
  summary: string;
  description: string;
  labels: string[];
}

/**
 * The label that carries the outbox message id. Jira has no idempotency key,
 * so a redelivery finds the issue the first delivery created by this label.
 */
export function messageLabel(messageId: string): string {
  return label(`gatehouse-${messageId}`);
}

/** Maps a `ticket.create` payload (see InternalRequestsService) to the fields of a new issue. */
export function toIssueFields(settings: JiraSettings, delivery: SinkDelivery): JiraIssueFields {
  const p = delivery.payload;
  const type = text(p.type);
  const priority = text(p.priority);
  const summary = truncate(oneLine(text(p.summary)), SUMMARY_MAX);
  return {
    project: { key: settings.projectKey },
    issuetype: { name: settings.issueType },
    summary: summary || `Internal request ${text(p.requestId) || delivery.messageId}`,
    description: description(p),
    labels: [
      'gatehouse',
      messageLabel(delivery.messageId),
      ...(type ? [label(`gatehouse-type-${type}`)] : []),
      ...(priority ? [label(`gatehouse-priority-${priority}`)] : []),
    ],
  };
}

function description(p: Record<string, unknown>): string {
  const requester = record(p.requester);
  const who = [
    text(requester.name),
    text(requester.email) && `<${text(requester.email)}>`,
    text(requester.team) && `(${text(requester.team)})`,
  ]
    .filter(Boolean)
    .join(' ');
  const details: [string, string][] = [
    ['Type', text(p.type)],
    ['Priority', text(p.priority)],
    ['Requested by', who],
    ['Related order', text(p.relatedOrderNumber)],
    ['Related SKU', text(p.relatedSku)],
    ['Conversation', text(p.conversationId)],
    ['Gatehouse request', text(p.requestId)],
    ['Gatehouse client', text(record(p.source).clientId)],
    ['Created', text(p.createdAt)],
  ];
  const lines = details
    .filter(([, value]) => value !== '')
    .map(([name, value]) => `* *${name}:* ${inlineWiki(value)}`);
  const body = text(p.description).trim();
  // The text comes from an agent: {noformat} shows it verbatim, so it cannot
  // smuggle links, images or macros into the issue through wiki markup.
  const quoted = body
    ? `{noformat}\n${truncate(body, DESCRIPTION_MAX).replace(/\{noformat\}/gi, '{ noformat}')}\n{noformat}\n\n`
    : '';
  return `${quoted}${lines.join('\n')}`;
}

/** Neutralises the wiki markup that makes links, images, tables and macros. */
function inlineWiki(value: string): string {
  return oneLine(value).replace(/[{}[\]|!\\]/g, (c) => `\\${c}`);
}

/** Labels cannot contain spaces; Jira also splits on them when editing. */
function label(value: string): string {
  return value.replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, LABEL_MAX);
}

function oneLine(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

/** At most `max` UTF-16 units (Jira counts Java chars), never cutting a surrogate pair. */
function truncate(value: string, max: number): string {
  if (value.length <= max) return value;
  let end = max - 1;
  if (/[\uD800-\uDBFF]/.test(value.charAt(end - 1))) end -= 1;
  return `${value.slice(0, end)}…`;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
