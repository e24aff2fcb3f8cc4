/**
 * The API reference page's model: the OpenAPI document (`/api/openapi.json`) read into what the
 * page lists — operations by tag, each with who may call it, its parameters, its body's fields and
 * its answers. Only the parts hqwatch's document uses are read; anything else is left out.
 */

interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  default?: unknown;
  description?: string;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
}

interface RawOperation {
  summary?: string;
  description?: string;
  tags?: string[];
  'x-hqwatch-access'?: string;
  parameters?: { name: string; in: string; required?: boolean; description?: string; schema?: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  responses?: Record<string, { description?: string; $ref?: string }>;
}

export interface OpenApiDoc {
  openapi: string;
  info: { title: string; version: string; description?: string };
  tags?: { name: string; description?: string }[];
  paths: Record<string, Record<string, RawOperation>>;
  components?: { responses?: Record<string, { description?: string }> };
}

export interface Field {
  name: string;
  /** `path`, `query` or `body`. */
  where: string;
  required: boolean;
  /** The type and its limits in a few words: `integer, 1–500, default 50`. */
  type: string;
  description: string;
}

export interface OperationView {
  id: string;
  method: string;
  path: string;
  summary: string;
  description: string;
  access: string;
  fields: Field[];
  answers: { status: string; description: string }[];
}

export interface TagView {
  name: string;
  description: string;
  operations: OperationView[];
}

const METHOD_ORDER = ['get', 'post', 'put', 'patch', 'delete'];

export function isOpenApiDoc(body: unknown): body is OpenApiDoc {
  return (
    !!body && typeof body === 'object' && typeof (body as OpenApiDoc).openapi === 'string' && typeof (body as OpenApiDoc).paths === 'object'
  );
}

/** A schema in a few words: its type, values and limits. */
export function typeWords(schema: JsonSchema | undefined): string {
  if (!schema) return 'any';
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return alternatives.map(typeWords).join(' or ');
  const words: string[] = [];
  if (schema.const !== undefined) words.push(JSON.stringify(schema.const));
  else if (schema.enum) words.push(`one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`);
  else if (schema.type === 'array') words.push(`list of ${typeWords(schema.items)}`);
  else words.push(Array.isArray(schema.type) ? schema.type.join(' or ') : (schema.type ?? 'any'));
  if (schema.format) words.push(schema.format);
  if (schema.minimum !== undefined && schema.maximum !== undefined) words.push(`${schema.minimum}–${schema.maximum}`);
  else if (schema.minimum !== undefined) words.push(`≥ ${schema.minimum}`);
  else if (schema.maximum !== undefined) words.push(`≤ ${schema.maximum}`);
  if (schema.minLength !== undefined || schema.maxLength !== undefined)
    words.push(`${schema.minLength ?? 0}–${schema.maxLength ?? '∞'} characters`);
  if (schema.default !== undefined) words.push(`default ${JSON.stringify(schema.default)}`);
  return words.join(', ');
}

function bodyFields(op: RawOperation): Field[] {
  const schema = op.requestBody?.content?.['application/json']?.schema;
  if (!schema?.properties) return [];
  return Object.entries(schema.properties).map(([name, field]) => ({
    name,
    where: 'body',
    required: schema.required?.includes(name) ?? false,
    type: typeWords(field),
    description: field.description ?? '',
  }));
}

function answersOf(op: RawOperation, doc: OpenApiDoc): { status: string; description: string }[] {
  return Object.entries(op.responses ?? {})
    .map(([status, answer]) => {
      const shared = answer.$ref ? doc.components?.responses?.[answer.$ref.split('/').pop()!] : undefined;
      return { status, description: answer.description ?? shared?.description ?? '' };
    })
    .sort((a, b) => a.status.localeCompare(b.status));
}

/** The document's operations grouped by tag, in the document's tag order, paths in order within. */
export function referenceOf(doc: OpenApiDoc): TagView[] {
  const byTag = new Map<string, OperationView[]>();
  for (const path of Object.keys(doc.paths).sort()) {
    const methods = Object.entries(doc.paths[path]!).sort(([a], [b]) => METHOD_ORDER.indexOf(a) - METHOD_ORDER.indexOf(b));
    for (const [method, op] of methods) {
      const tag = op.tags?.[0] ?? 'other';
      const view: OperationView = {
        id: `${method}-${path}`.replace(/[^A-Za-z0-9]+/g, '-'),
        method: method.toUpperCase(),
        path,
        summary: op.summary ?? '',
        description: op.description ?? '',
        access: op['x-hqwatch-access'] ?? 'unknown',
        fields: [
          ...(op.parameters ?? []).map((p) => ({
            name: p.name,
            where: p.in,
            required: p.required ?? false,
            type: typeWords(p.schema),
            description: p.description ?? p.schema?.description ?? '',
          })),
          ...bodyFields(op),
        ],
        answers: answersOf(op, doc),
      };
      byTag.set(tag, [...(byTag.get(tag) ?? []), view]);
    }
  }
  const order = (doc.tags ?? []).map((t) => t.name);
  return [...byTag.entries()]
    .sort(([a], [b]) => (order.indexOf(a) + 1 || Infinity) - (order.indexOf(b) + 1 || Infinity))
    .map(([name, operations]) => ({ name, description: doc.tags?.find((t) => t.name === name)?.description ?? '', operations }));
}
