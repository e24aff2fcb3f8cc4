import { z } from 'zod';
import type { Access } from '../../auth/access.ts';
import { OPERATIONS, type Answer, type Operation } from './operations.ts';

type Json = Record<string, unknown>;

/** The error body every failure has (`http/error-handler.ts`). */
const ERROR_SCHEMA: Json = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', description: 'a stable code: bad_request, unauthorized, forbidden, not_found, rate_limited, …' },
        message: { type: 'string' },
        field: { type: 'string', description: 'the parameter or body field at fault' },
      },
    },
  },
};

/** JSON Schema of what a client sends (`io: input`: durations and times as strings, defaults optional). */
function inputSchema(schema: z.ZodType): Json {
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as Json;
  delete json.$schema;
  return json;
}

function schemaOf(answer: Answer): Json | undefined {
  if (!answer.schema) return undefined;
  return answer.schema instanceof z.ZodType ? inputSchema(answer.schema) : answer.schema;
}

/** `/api/incidents/:id` → `/api/incidents/{id}`. */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function parameters(op: Operation): Json[] {
  const inPath = [...op.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);
  const path = inPath.map((name) => ({
    name,
    in: 'path',
    required: true,
    description: op.params?.[name],
    schema: { type: 'string' },
  }));
  if (!op.query) return path;
  const query = inputSchema(op.query) as { properties?: Record<string, Json>; required?: string[] };
  return [
    ...path,
    ...Object.entries(query.properties ?? {}).map(([name, schema]) => ({
      name,
      in: 'query',
      required: query.required?.includes(name) ?? false,
      ...(typeof schema.description === 'string' ? { description: schema.description } : {}),
      schema,
    })),
  ];
}

const ROLE_WORDS: Record<Access, string> = {
  public: 'Anyone (no login).',
  viewer: 'A viewer or above (or anyone, when `auth.anonymous: viewer`).',
  operator: 'An operator or above (a session, or an operator token as a bearer token).',
  admin: 'An admin.',
};

const ERROR_CONTENT = { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } };

function responses(op: Operation): Json {
  const out: Json = {};
  for (const [status, answer] of Object.entries(op.answers)) {
    const schema = schemaOf(answer);
    const type = answer.type ?? (schema ? 'json' : 'none');
    const content =
      Number(status) >= 400
        ? ERROR_CONTENT
        : type === 'none'
          ? undefined
          : { [type === 'json' ? 'application/json' : type]: schema ? { schema } : {} };
    out[status] = { description: answer.description, ...(content ? { content } : {}) };
  }
  if (op.access !== 'public') {
    out['401'] ??= { $ref: '#/components/responses/Unauthorized' };
    if (op.access !== 'viewer') out['403'] ??= { $ref: '#/components/responses/Forbidden' };
  }
  return out;
}

function operation(op: Operation): Json {
  return {
    operationId: `${op.method.toLowerCase()}${openApiPath(op.path)
      .replace(/[{}]/g, '')
      .split(/[/._-]/)
      .filter(Boolean)
      .map((w) => w[0]!.toUpperCase() + w.slice(1))
      .join('')}`,
    tags: [op.tag],
    summary: op.summary,
    description: [op.description, `Who may call it: ${ROLE_WORDS[op.access]}`].filter(Boolean).join('\n\n'),
    'x-hqwatch-access': op.access,
    security: op.access === 'public' ? [] : [{ session: [] }, { bearer: [] }],
    parameters: parameters(op),
    ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: inputSchema(op.body) } } } } : {}),
    responses: responses(op),
  };
}

/** The OpenAPI 3.1 document of the monitor's HTTP API, from `OPERATIONS`. */
export function openApiDocument(version: string, operations: readonly Operation[] = OPERATIONS): Json {
  const paths: Record<string, Json> = {};
  for (const op of operations) (paths[openApiPath(op.path)] ??= {})[op.method.toLowerCase()] = operation(op);
  return {
    openapi: '3.1.0',
    info: {
      title: 'hqwatch',
      version,
      description:
        'The HTTP API of hqwatch, the monitor of a ShoreWare-style HQ server pair. Reading needs a viewer unless the config ' +
        'says `auth: { anonymous: viewer }`; the live state also streams over socket.io (docs/wire.md).',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    tags: [
      { name: 'live', description: 'What is happening now' },
      { name: 'status', description: 'The status pages for users and the helpdesk' },
      { name: 'history', description: 'Incidents, replay, exports and availability' },
      { name: 'alerts', description: 'On-call alerting' },
      { name: 'maintenance', description: 'Planned maintenance windows' },
      { name: 'accounts', description: 'Signing in and out, kiosk displays' },
      { name: 'admin', description: 'Users, kiosk displays, config reload' },
      { name: 'meta', description: 'Health, liveness, metrics and this document' },
    ],
    paths,
    components: {
      schemas: { Error: ERROR_SCHEMA },
      responses: {
        Unauthorized: {
          description: 'Nobody is signed in (or only anonymously, and a login could raise the role), or a bearer token is wrong.',
          content: ERROR_CONTENT,
        },
        Forbidden: {
          description: 'The one signed in has a lesser role.',
          content: ERROR_CONTENT,
        },
      },
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'hqwatch_session', description: 'Set by POST /api/auth/login.' },
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'An operator token (auth.operatorTokens) or a kiosk display token (read-only).',
        },
      },
    },
  };
}
