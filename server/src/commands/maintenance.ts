import type { MaintenanceList, MaintenanceWindow } from '@hqwatch/shared';

/**
 * `hqwatch maintenance add|list|remove`: planned maintenance windows, through the running server's
 * REST API (`--url`, http://127.0.0.1:8080 by default), with the operator token from `--token` or
 * HQWATCH_OPERATOR_TOKEN. The server holds the store; it mutes alerts from the moment it answers.
 */
export interface MaintenanceOptions {
  action: string | undefined;
  url: string;
  token?: string;
  from?: string;
  to?: string;
  duration?: string;
  reason?: string;
  id?: string;
}

function line(w: MaintenanceWindow): string {
  return `${w.id}  ${w.from} → ${w.to}  ${w.reason}`;
}

async function call(opts: MaintenanceOptions, method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${opts.url.replace(/\/+$/, '')}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = { error: { message: text.slice(0, 200) } };
  }
  return { status: res.status, json };
}

function failure(status: number, json: unknown): number {
  const message = (json as { error?: { message?: string } })?.error?.message ?? `HTTP ${status}`;
  process.stderr.write(`hqwatch: ${status === 401 ? `${message} (give --token or set HQWATCH_OPERATOR_TOKEN)` : message}\n`);
  return status === 400 ? 2 : 1;
}

export async function runMaintenance(opts: MaintenanceOptions): Promise<number> {
  try {
    switch (opts.action) {
      case 'list': {
        const { status, json } = await call(opts, 'GET', '/api/maintenance');
        if (status !== 200) return failure(status, json);
        const list = json as MaintenanceList;
        if (list.windows.length === 0) process.stdout.write('no maintenance windows\n');
        for (const w of list.windows) process.stdout.write(`${line(w)}${list.active?.id === w.id ? '  (in force now)' : ''}\n`);
        return 0;
      }
      case 'add': {
        if (!opts.reason) return usage('maintenance add needs --reason TEXT');
        if (!opts.to && !opts.duration) return usage('maintenance add needs --to TIME or --duration 30m');
        const body = {
          reason: opts.reason,
          ...(opts.from && { from: opts.from }),
          ...(opts.to && { to: opts.to }),
          ...(opts.duration && { duration: opts.duration }),
        };
        const { status, json } = await call(opts, 'POST', '/api/maintenance', body);
        if (status !== 201) return failure(status, json);
        process.stdout.write(`added: ${line(json as MaintenanceWindow)}\n`);
        return 0;
      }
      case 'remove': {
        if (!opts.id) return usage('maintenance remove needs the window id (see maintenance list)');
        const { status, json } = await call(opts, 'DELETE', `/api/maintenance/${encodeURIComponent(opts.id)}`);
        if (status !== 200) return failure(status, json);
        const result = json as { window: MaintenanceWindow; removed: boolean };
        process.stdout.write(`${result.removed ? 'removed' : 'ended now'}: ${line(result.window)}\n`);
        return 0;
      }
      default:
        return usage(`maintenance needs add, list or remove${opts.action ? `, not "${opts.action}"` : ''}`);
    }
  } catch (err) {
    process.stderr.write(`hqwatch: cannot reach the server at ${opts.url}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

function usage(message: string): number {
  process.stderr.write(`hqwatch: ${message}\n`);
  return 2;
}
