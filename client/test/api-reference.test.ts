import { describe, expect, it } from 'vitest';
import { isOpenApiDoc, referenceOf, typeWords, type OpenApiDoc } from '../src/help/api-reference.ts';

const DOC: OpenApiDoc = {
  openapi: '3.1.0',
  info: { title: 'hqwatch', version: '0.1.0' },
  tags: [
    { name: 'live', description: 'What is happening now' },
    { name: 'history', description: 'Incidents' },
  ],
  paths: {
    '/api/incidents/{id}/annotations': {
      post: {
        tags: ['history'],
        summary: 'Annotate an incident',
        'x-hqwatch-access': 'operator',
        parameters: [{ name: 'id', in: 'path', required: true, description: 'the incident id', schema: { type: 'string' } }],
        requestBody: {
          content: {
            'application/json': {
              schema: { type: 'object', properties: { text: { type: 'string', minLength: 1, maxLength: 4000 } }, required: ['text'] },
            },
          },
        },
        responses: { '201': { description: 'The annotation.' }, '401': { $ref: '#/components/responses/Unauthorized' } },
      },
    },
    '/api/incidents': {
      get: {
        tags: ['history'],
        summary: 'Incidents in a range',
        'x-hqwatch-access': 'viewer',
        parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } }],
        responses: { '200': { description: 'A page.' } },
      },
    },
    '/api/state': { get: { tags: ['live'], summary: 'The live state', responses: { '200': { description: 'The LiveState.' } } } },
  },
  components: { responses: { Unauthorized: { description: 'Nobody is signed in.' } } },
};

describe('the API reference', () => {
  it('groups operations by tag in the document order, with their access, fields and answers', () => {
    const tags = referenceOf(DOC);
    expect(tags.map((t) => t.name)).toEqual(['live', 'history']);
    const history = tags[1]!.operations;
    expect(history.map((o) => `${o.method} ${o.path}`)).toEqual(['GET /api/incidents', 'POST /api/incidents/{id}/annotations']);
    expect(history[0]!.fields).toEqual([
      { name: 'limit', where: 'query', required: false, type: 'integer, 1–500, default 50', description: '' },
    ]);
    const annotate = history[1]!;
    expect(annotate.access).toBe('operator');
    expect(annotate.fields).toEqual([
      { name: 'id', where: 'path', required: true, type: 'string', description: 'the incident id' },
      { name: 'text', where: 'body', required: true, type: 'string, 1–4000 characters', description: '' },
    ]);
    // A shared answer is told in its own words.
    expect(annotate.answers).toEqual([
      { status: '201', description: 'The annotation.' },
      { status: '401', description: 'Nobody is signed in.' },
    ]);
  });

  it('says types in words: enums, constants, lists, alternatives', () => {
    expect(typeWords({ enum: ['json', 'csv'], default: 'json' })).toBe('one of "json", "csv", default "json"');
    expect(typeWords({ type: 'array', items: { type: 'string' } })).toBe('list of string');
    expect(typeWords({ anyOf: [{ type: 'string', format: 'date-time' }, { const: null }] })).toBe('string, date-time or null');
    expect(typeWords(undefined)).toBe('any');
  });

  it('takes only an OpenAPI document', () => {
    expect(isOpenApiDoc(DOC)).toBe(true);
    expect(isOpenApiDoc({ error: { code: 'unauthorized' } })).toBe(false);
    expect(isOpenApiDoc(null)).toBe(false);
  });
});
