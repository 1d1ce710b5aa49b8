import { XMLParser } from 'fast-xml-parser';
import type { Shape, ShapeTable, TrimmedModel } from '@shipyard/platform/model-shapes';

// Reads an XML answer (REST-XML: CloudFront; Query: RDS) into the value the SDK would make of it, guided by the
// operation's output shape, so the one shape checker judges JSON and XML answers alike. What has no place in the
// value is reported here: a misnamed root or result element, list items under the wrong element name, an element
// given twice, a member that belongs in a header. Text that is not of its member's type is kept as text, so the
// checker reports it ("must be a whole number, got the string …").

/** An element: its text, or its child elements by name (every child is a list of its occurrences). */
type XmlNode = string | { [name: string]: XmlNode[] };

const parser = new XMLParser({
  ignoreAttributes: true,
  ignoreDeclaration: true,
  parseTagValue: false,
  trimValues: true,
  isArray: () => true,
});

/** The document's root element name and content, or a problem when the text is not one well-formed document. */
export function parseXmlDocument(text: string): { root: string; content: XmlNode } | { problem: string } {
  let parsed: Record<string, XmlNode[]>;
  try {
    parsed = parser.parse(text, true) as Record<string, XmlNode[]>;
  } catch (error) {
    return { problem: `the answer is not well-formed XML (${(error as Error).message})` };
  }
  const roots = Object.entries(parsed);
  if (roots.length !== 1 || roots[0][1].length !== 1) return { problem: 'the answer is not one XML document' };
  return { root: roots[0][0], content: roots[0][1][0] };
}

const child = (node: XmlNode, name: string): XmlNode | undefined =>
  typeof node === 'object' ? node[name]?.[0] : undefined;

/** The error code an `<ErrorResponse><Error><Code>` document names. */
export function xmlErrorCode(text: string): string | undefined {
  const document = parseXmlDocument(text);
  if ('problem' in document || document.root !== 'ErrorResponse') return undefined;
  const code = child(child(document.content, 'Error') ?? '', 'Code');
  return typeof code === 'string' ? code : undefined;
}

export interface XmlReading {
  value: unknown;
  problems: string[];
}

/** Reads the body of a successful answer to `operation` (which has an output shape) of an XML-protocol service. */
export function readXmlAnswer(model: TrimmedModel, operation: string, body: string): XmlReading {
  const problems: string[] = [];
  const document = parseXmlDocument(body);
  if ('problem' in document) return { value: undefined, problems: [document.problem] };
  const { output, resultWrapper } = model.operations[operation];
  const reader = new Reader(model.shapes, problems);
  const shape = model.shapes[output!] as Extract<Shape, { type: 'structure' }>;
  if (model.protocol === 'query') {
    const expected = `${operation}Response`;
    if (document.root !== expected) problems.push(`the root element is <${document.root}>, not <${expected}>`);
    const content = typeof document.content === 'object' ? document.content : {};
    for (const name of Object.keys(content)) {
      if (name !== resultWrapper && name !== 'ResponseMetadata') problems.push(`unexpected element <${name}>`);
    }
    if (!child(document.content, 'ResponseMetadata')) problems.push('<ResponseMetadata> is missing');
    const result = child(document.content, resultWrapper!);
    if (result === undefined) problems.push(`<${resultWrapper}> is missing`);
    return { value: reader.structure(shape, result ?? '', ''), problems };
  }
  if (shape.payload) {
    const member = shape.payload;
    const expected = shape.xmlNames?.[member] ?? member;
    if (document.root !== expected) problems.push(`the root element is <${document.root}>, not <${expected}>`);
    return { value: { [member]: reader.read(shape.members[member], document.content, member) }, problems };
  }
  return { value: reader.structure(shape, document.content, ''), problems };
}

const WHOLE_NUMBER = /^-?\d+$/;
const NUMBER = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;
const ISO_8601 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;

class Reader {
  constructor(
    private readonly shapes: ShapeTable,
    private readonly problems: string[],
  ) {}

  read(name: string, node: XmlNode, path: string): unknown {
    const shape = this.shapes[name];
    switch (shape.type) {
      case 'structure':
        return this.structure(shape, node, path);
      case 'list':
        return this.list(shape, node, path);
      case 'map':
        return this.map(shape, node, path);
      case 'timestamp':
        if (typeof node === 'string' && !ISO_8601.test(node)) {
          this.problems.push(`${path}: ${JSON.stringify(node)} is not an ISO 8601 timestamp`);
          return 0;
        }
        return typeof node === 'string' ? Date.parse(node) / 1000 : node;
      default:
        return typeof node === 'string' ? scalar(shape, node) : node;
    }
  }

  structure(shape: Extract<Shape, { type: 'structure' }>, node: XmlNode, path: string): unknown {
    if (typeof node === 'string') return node === '' ? {} : node;
    const memberOf = new Map(Object.keys(shape.members).map((m) => [shape.xmlNames?.[m] ?? m, m]));
    const value: Record<string, unknown> = {};
    for (const [element, occurrences] of Object.entries(node)) {
      const member = memberOf.get(element);
      const at = path ? `${path}.${element}` : element;
      if (member === undefined) {
        // Kept under its own name: the shape checker reports it as a member AWS does not have.
        value[element] = occurrences[0];
        continue;
      }
      if (shape.headers?.includes(member)) this.problems.push(`${at}: is a header, not an element of the body`);
      const memberShape = this.shapes[shape.members[member]];
      if (memberShape.type === 'list' && memberShape.flattened) {
        value[member] = occurrences.map((item, i) => this.read(memberShape.member, item, `${at}[${i}]`));
        continue;
      }
      if (occurrences.length > 1) this.problems.push(`${at}: appears ${occurrences.length} times`);
      value[member] = this.read(shape.members[member], occurrences[0], at);
    }
    return value;
  }

  private list(shape: Extract<Shape, { type: 'list' }>, node: XmlNode, path: string): unknown {
    if (typeof node === 'string') return node === '' ? [] : node;
    const itemName = shape.xmlMember ?? 'member';
    for (const element of Object.keys(node)) {
      if (element !== itemName) this.problems.push(`${path}: <${element}> in a list of <${itemName}> items`);
    }
    return (node[itemName] ?? []).map((item, i) => this.read(shape.member, item, `${path}[${i}]`));
  }

  private map(shape: Extract<Shape, { type: 'map' }>, node: XmlNode, path: string): unknown {
    if (typeof node === 'string') return node === '' ? {} : node;
    const entries = (node.entry ?? []).map((entry) => [child(entry, 'key'), child(entry, 'value')] as const);
    return Object.fromEntries(
      entries.map(([key, value]) => [String(key), this.read(shape.value, value ?? '', `${path}.${String(key)}`)]),
    );
  }
}

/** Text as the SDK reads it for the shape; text that does not fit stays text, for the checker to report. */
function scalar(shape: Shape, text: string): unknown {
  switch (shape.type) {
    case 'integer':
    case 'long':
      return WHOLE_NUMBER.test(text) ? Number(text) : text;
    case 'float':
    case 'double':
      return NUMBER.test(text) ? Number(text) : text;
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : text;
    default:
      return text;
  }
}
