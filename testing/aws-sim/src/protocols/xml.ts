import { XMLParser } from 'fast-xml-parser';
import { AwsError } from '../errors';
import type { SimResponse } from '../service';

/** A list rendered as repeated `<member>` elements (AWS XML lists name their members: `<Path>`, `<DBSnapshot>`…). */
export class XmlList {
  constructor(
    readonly member: string,
    readonly items: XmlValue[],
  ) {}
}

export type XmlValue = string | number | boolean | Date | undefined | null | XmlList | XmlObject;
export interface XmlObject {
  [name: string]: XmlValue;
}

export function xmlList(member: string, items: XmlValue[]): XmlList {
  return new XmlList(member, items);
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function content(value: Exclude<XmlValue, undefined | null>): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value !== 'object') return escapeXml(String(value));
  if (value instanceof XmlList) return value.items.map((item) => xmlElement(value.member, item)).join('');
  return Object.entries(value)
    .map(([name, child]) => xmlElement(name, child))
    .join('');
}

/** `<name>…</name>`; undefined and null values render nothing (absent fields, as AWS omits them). */
export function xmlElement(name: string, value: XmlValue, xmlns?: string): string {
  if (value === undefined || value === null) return '';
  const attrs = xmlns ? ` xmlns="${escapeXml(xmlns)}"` : '';
  return `<${name}${attrs}>${content(value)}</${name}>`;
}

export function xmlDocument(rootName: string, value: XmlValue, xmlns: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${xmlElement(rootName, value ?? '', xmlns)}`;
}

/**
 * Parses an XML request body. Text stays text (no number coercion) and is not trimmed, so validation sees exactly
 * what the client sent; elements named in `listMembers` always parse as arrays, even with a single item.
 */
export function parseXml(body: string, listMembers: string[] = []): Record<string, unknown> {
  const members = new Set(listMembers);
  const parser = new XMLParser({
    ignoreAttributes: true,
    parseTagValue: false,
    trimValues: false,
    ignoreDeclaration: true,
    isArray: (name) => members.has(name),
  });
  try {
    return parser.parse(body, true) as Record<string, unknown>;
  } catch (error) {
    throw new AwsError('MalformedXML', `The XML you provided was not well-formed: ${(error as Error).message}`);
  }
}

/** The error document CloudFront and the Query services (RDS) answer: `<ErrorResponse><Error>…</Error>…`. */
export function xmlErrorResponse(error: AwsError, xmlns: string, requestId: string = crypto.randomUUID()): SimResponse {
  const body = xmlDocument(
    'ErrorResponse',
    {
      Error: { Type: error.status >= 500 ? 'Receiver' : 'Sender', Code: error.code, Message: error.message },
      RequestId: requestId,
    },
    xmlns,
  );
  return { status: error.status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body };
}
