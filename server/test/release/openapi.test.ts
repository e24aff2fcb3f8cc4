// The OpenAPI document: every route the app mounts is in it with the access its router gives, and
// nothing else is; it is served at /api/openapi.json to whoever may read the API; every schema in
// it is valid JSON Schema and every parameter it lists is one the route reads. Loopback octet 153
// (scripted probes: nothing is probed).
import type Router from '@koa/router';
import type Koa from 'koa';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routesOf, type Access } from '../../src/auth/access.ts';
import { openApiDocument, openApiPath } from '../../src/api/openapi/document.ts';
import { OPERATIONS } from '../../src/api/openapi/operations.ts';
import { version } from '../../src/version.ts';
import { send, startAuthApp, type AuthApp } from '../security/auth-support.ts';

/** Every route of every router the app mounted, from Koa's middleware (the routers' dispatchers). */
function mountedRoutes(app: Koa): { key: string; access: Access | undefined }[] {
  return app.middleware
    .flatMap((fn) => {
      const router = (fn as { router?: Router }).router;
      return router ? [router] : [];
    })
    .flatMap(routesOf)
    .flatMap((r) => r.methods.filter((m) => m !== 'HEAD').map((method) => ({ key: `${method} ${r.path}`, access: r.access })));
}

type Doc = {
  openapi: string;
  info: { version: string };
  paths: Record<string, Record<string, { parameters: { name: string; in: string }[]; requestBody?: unknown; 'x-hqwatch-access': string }>>;
};

describe('the OpenAPI document', () => {
  let a: AuthApp;
  beforeAll(async () => {
    a = await startAuthApp(153);
  });
  afterAll(() => a.close());

  it('documents exactly the routes the app mounts, each with the access its router requires', () => {
    const mounted = mountedRoutes(a.t.app.app);
    const documented = new Map(OPERATIONS.map((op) => [`${op.method} ${op.path}`, op.access]));
    const missing = mounted.filter((r) => !documented.has(r.key)).map((r) => r.key);
    expect(missing, 'routes missing from server/src/api/openapi/operations-*.ts: add an entry for each, in the file of its tag').toEqual(
      [],
    );
    const extra = [...documented.keys()].filter((k) => !mounted.some((r) => r.key === k));
    expect(extra, 'documented routes the app does not mount').toEqual([]);
    for (const r of mounted) expect(documented.get(r.key), r.key).toBe(r.access);
    expect(documented.size).toBe(OPERATIONS.length);
  });

  it('is OpenAPI 3.1 with the version of the package, served to a viewer and refused to nobody when a login is required', async () => {
    const viewer = await a.login('viewer');
    const res = await send(`${a.url}/api/openapi.json`, { headers: { cookie: viewer } });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const doc = res.json<Doc>();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.version).toBe(version());
    expect(doc).toEqual(JSON.parse(JSON.stringify(openApiDocument(version()))));
    expect((await send(`${a.url}/api/openapi.json`)).status).toBe(401);
  });

  it('has a path template, parameter and access for every operation', () => {
    const doc = openApiDocument('test') as unknown as Doc;
    for (const op of OPERATIONS) {
      const entry = doc.paths[openApiPath(op.path)]?.[op.method.toLowerCase()];
      expect(entry, `${op.method} ${op.path}`).toBeDefined();
      expect(entry!['x-hqwatch-access']).toBe(op.access);
      const inPath = entry!.parameters.filter((p) => p.in === 'path').map((p) => p.name);
      expect(inPath.map((n) => `{${n}}`).every((t) => openApiPath(op.path).includes(t))).toBe(true);
      expect(inPath.length).toBe((op.path.match(/:/g) ?? []).length);
      expect(Boolean(entry!.requestBody)).toBe(Boolean(op.body));
    }
  });

  it('holds only valid JSON Schemas (2020-12), every $ref resolving', () => {
    const doc = openApiDocument('test') as { components: unknown; paths: unknown };
    const ajv = new Ajv2020({ strict: false, logger: false });
    ajv.addSchema({ $id: 'doc', components: doc.components }, 'doc');
    const schemas: unknown[] = [];
    const walk = (node: unknown, key = ''): void => {
      if (!node || typeof node !== 'object') return;
      if (key === 'schema') return void schemas.push(node);
      for (const [k, v] of Object.entries(node)) walk(v, k);
    };
    walk(doc.paths);
    expect(schemas.length).toBeGreaterThan(40);
    for (const schema of schemas) {
      const local = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"doc#/components/')) as object;
      expect(() => ajv.compile(local), JSON.stringify(schema)).not.toThrow();
    }
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    for (const ref of refs) {
      const target = ref.slice(8, -1).replace(/^#\//, '').split('/');
      expect(
        target.reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], doc),
        ref,
      ).toBeDefined();
    }
  });

  it('lists the query parameters the routes check: a value the document forbids is refused by the route', async () => {
    const viewer = await a.login('viewer');
    const doc = openApiDocument('test') as unknown as Doc & {
      paths: Record<string, { get: { parameters: { name: string; schema: { maximum?: number; enum?: string[] } }[] } }>;
    };
    const limit = doc.paths['/api/incidents']!.get.parameters.find((p) => p.name === 'limit')!;
    expect(limit.schema.maximum).toBe(500);
    const over = await send(`${a.url}/api/incidents?limit=${limit.schema.maximum! + 1}`, { headers: { cookie: viewer } });
    expect(over.status).toBe(400);
    expect(over.json<{ error: { field: string } }>().error.field).toBe('limit');
    expect((await send(`${a.url}/api/incidents?limit=${limit.schema.maximum}`, { headers: { cookie: viewer } })).status).toBe(200);
    const format = doc.paths['/api/incidents/{id}/export']!.get.parameters.find((p) => p.name === 'format')!;
    expect(format.schema.enum).toEqual(['json', 'csv', 'md']);
  });
});
