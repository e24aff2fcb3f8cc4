import { describe, expect, it } from 'vitest';
import { annotationErrorText, OPERATOR_TOKEN_KEY, readOperatorToken, writeOperatorToken } from '../src/incidents/operator-token.ts';
import { eventLines, lineAt } from '../src/incidents/timeline-events.ts';
import { detail, TIMES } from './incident-fixtures.ts';

function memory(): Storage {
  const data = new Map<string, string>();
  return {
    get length() {
      return data.size;
    },
    clear: () => data.clear(),
    key: (i) => [...data.keys()][i] ?? null,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
}

describe('the operator token', () => {
  it('is kept in the given session storage and forgotten when emptied', () => {
    const storage = memory();
    expect(readOperatorToken(storage)).toBe('');
    writeOperatorToken('s3cret', storage);
    expect(storage.getItem(OPERATOR_TOKEN_KEY)).toBe('s3cret');
    expect(readOperatorToken(storage)).toBe('s3cret');
    writeOperatorToken('', storage);
    expect(storage.length).toBe(0);
  });

  it('survives a storage that refuses', () => {
    const refusing = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('quota');
      },
      removeItem: () => {},
    };
    expect(readOperatorToken(refusing)).toBe('');
    expect(() => writeOperatorToken('x', refusing)).not.toThrow();
  });

  it('a refusal says what to do and that the note is kept', () => {
    expect(annotationErrorText(401, 'an operator token is required')).toMatch(/operator token was refused.*note is kept/);
    expect(annotationErrorText(413, '')).toMatch(/too long/);
    expect(annotationErrorText(0, '')).toMatch(/cannot be reached.*kept/);
    expect(annotationErrorText(400, 'text: text is empty')).toBe('text: text is empty');
  });
});

describe('the event log', () => {
  it('tells each change in words, with server names, notes left to their own list', () => {
    const names = new Map([
      ['primary', 'HQ primary'],
      ['secondary', 'HQ secondary'],
    ]);
    const lines = eventLines(detail().timeline, names);
    expect(lines.map((l) => l.text)).toEqual([
      'HQ primary: Serving → Reachable',
      'HQ: Primary active → Failing over',
      'Incident opened',
      'Call Manager telephony down at 1 site',
      'HQ secondary: Reachable → Serving',
      'HQ: Failing over → Secondary active',
      'Failover window closed after 0:07',
      'HQ: Secondary active → Failing back',
      'HQ primary: Reachable → Serving',
      'HQ: Failing back → Primary active',
      'Incident closed after 0:21',
    ]);
    expect(lines[0]).toMatchObject({ ms: TIMES.start, glyph: '◐', tone: 'warn' });
  });
});

describe('lineAt', () => {
  it('finds the change in effect at a moment', () => {
    const lines = eventLines(detail().timeline, new Map());
    expect(lineAt(lines, TIMES.start - 1)).toBe(-1);
    expect(lines[lineAt(lines, TIMES.start + 5000)]!.text).toBe('Call Manager telephony down at 1 site');
    expect(lines[lineAt(lines, TIMES.secondary)]!.text).toBe('Failover window closed after 0:07');
    expect(lineAt(lines, TIMES.end + 1)).toBe(lines.length - 1);
  });
});

describe('the event log: the worst cases', () => {
  const names = new Map([
    ['primary', 'HQ primary'],
    ['secondary', 'HQ secondary'],
  ]);
  const at = '2026-11-25T10:05:00.000Z';

  it('says why HQ went down, and when the standby changed', () => {
    const lines = eventLines(
      [
        {
          type: 'hq-transition',
          at,
          incidentId: 'i',
          from: 'failing-over',
          to: 'hq-down',
          window: { kind: 'outage', startedAt: at },
          cause: 'target-down',
        },
        {
          type: 'standby-changed',
          at,
          incidentId: 'i',
          standbyId: 'secondary',
          previousId: 'secondary',
          from: 'ready',
          to: 'not-ready',
          hqState: 'hq-down',
        },
        { type: 'window-opened', at, incidentId: 'i', kind: 'outage', startedAt: at, expectedMinMs: 1, expectedMaxMs: 2 },
      ],
      names,
    );
    expect(lines.map((l) => l.text)).toEqual([
      'HQ: Failing over → HQ down (the server HQ would move to does not answer)',
      'Standby HQ secondary: Ready → Not ready',
      'Outage window opened (no expected length)',
    ]);
  });
});
