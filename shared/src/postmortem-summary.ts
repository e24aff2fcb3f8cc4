import { durationWords } from './duration.ts';
import type { HqTransitionEvent, NodeStatusEvent, WindowClosedEvent } from './history.ts';
import { hqDownCauseText } from './hq-cause.ts';
import { estimateText } from './window-estimate.ts';
import { expectedText, type AddressPeriod, type PostmortemContext } from './postmortem-events.ts';
import { serviceInline, type ImpactRow } from './postmortem-impact.ts';
import { PRIMARY_ID, SECONDARY_ID, type HqState } from './types.ts';

const count = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** "12 min 2 s (expected 5–20 min)", or the overrun said plainly against the expected range. */
function tookText(w: WindowClosedEvent): string {
  const took = durationWords(w.durationMs);
  if (w.overrun) return `${took}: an overrun, ${durationWords(w.durationMs - w.expectedMaxMs)} past the expected ${expectedText(w)}`;
  if (w.durationMs < w.expectedMinMs) return `${took}, quicker than the expected ${expectedText(w)}`;
  return `${took} (expected ${expectedText(w)})`;
}

/** How a server's debounced change reads: "stopped serving (its host still answered)". */
function nodeChange(e: NodeStatusEvent | undefined): string {
  if (e && e.from === e.to) return e.flapping ? 'started flapping (coming and going)' : 'stopped flapping';
  switch (e?.to) {
    case 'reachable':
      return e.from === 'down' ? 'answered again, without serving' : 'stopped serving (its host still answered)';
    case 'down':
      return 'went down (nothing answered)';
    case 'serving':
      return 'was serving again';
    case 'unknown':
      return 'was no longer assessed';
    default:
      return 'stopped serving';
  }
}

interface Story {
  ctx: PostmortemContext;
  server: (id: string) => string;
  /** When the current split brain (or blind stretch) began. */
  since: Map<HqState, string>;
}

function sentence(t: HqTransitionEvent, closed: WindowClosedEvent | undefined, nodes: NodeStatusEvent[], story: Story): string {
  const { ctx, server } = story;
  const at = ctx.time.time(t.at);
  const changed = (id: string) => nodes.find((n) => n.nodeId === id);
  const [primary, secondary] = [server(PRIMARY_ID), server(SECONDARY_ID)];
  if (closed?.kind === 'failover' && t.to === 'secondary-active') return `${secondary} took over at ${at}, after ${tookText(closed)}.`;
  if (closed?.kind === 'failback' && t.to === 'primary-active')
    return `The failback to ${primary} was done at ${at}, after ${tookText(closed)}.`;
  if (closed?.kind === 'outage') {
    const back =
      t.to === 'primary-active' ? `${primary} served again` : t.to === 'secondary-active' ? `${secondary} served` : 'the window ended';
    return `At ${at} ${back}, after ${durationWords(closed.durationMs)} without HQ services; no failover or failback completed (recorded as an HQ outage).`;
  }
  story.since.set(t.to, t.at);
  switch (t.to) {
    case 'failing-over':
      if (t.from === 'hq-down') return `At ${at} ${secondary} answered again and the failover resumed.`;
      return `At ${at} ${primary} ${nodeChange(changed(PRIMARY_ID))} and a failover to ${secondary} began.`;
    case 'failing-back':
      if (t.from === 'hq-down') return `At ${at} ${primary} answered again and the failback resumed.`;
      return `At ${at} ${secondary} ${nodeChange(changed(SECONDARY_ID))} and a failback to ${primary} began.`;
    case 'hq-down': {
      const standby = t.from === 'failing-over' ? SECONDARY_ID : t.from === 'failing-back' ? PRIMARY_ID : null;
      const why = t.cause ? `: ${hqDownCauseText(t.cause, standby && server(standby), standby)}` : '';
      return `At ${at} HQ went down${why}.`;
    }
    case 'dual-active':
      return `At ${at} both HQ servers claimed Headquarters (split brain); site statuses during it are computed as if HQ services were answered, and are at risk.`;
    case 'monitor-blind':
      return `At ${at} the monitor lost sight of the network: nothing is known until it saw again.`;
    default:
      break;
  }
  const began = story.since.get(t.from);
  if (t.from === 'dual-active' && began) {
    const alone = t.to === 'primary-active' ? primary : t.to === 'secondary-active' ? secondary : null;
    const after = durationWords(Date.parse(t.at) - Date.parse(began));
    return `The split brain ended at ${at} after ${after}${alone ? `: ${alone} alone served as Headquarters` : ''}.`;
  }
  if (t.from === 'monitor-blind') return `The monitor saw the network again at ${at}.`;
  if (t.to === 'secondary-active') return `At ${at} ${secondary} was serving as Headquarters.`;
  if (t.to === 'primary-active') return `At ${at} ${primary} was serving as Headquarters.`;
  return `At ${at} HQ went from ${t.from} to ${t.to}.`;
}

/** "4 sites (575 users) lost Call Manager telephony & video (6,930 user-minutes)": rows lost alike said together. */
function lossClauses(rows: readonly ImpactRow[]): string {
  const clauses: { rows: ImpactRow[] }[] = [];
  for (const row of rows) {
    const same = clauses.find(
      (c) => c.rows[0]!.sites === row.sites && c.rows[0]!.userMinutes === row.userMinutes && c.rows[0]!.longestMs === row.longestMs,
    );
    if (same) same.rows.push(row);
    else clauses.push({ rows: [row] });
  }
  const parts = clauses.map(({ rows: alike }) => {
    const r = alike[0]!;
    const titles = alike.map((x) => serviceInline(x.title));
    const what = titles.length === 1 ? titles[0]! : `${titles.slice(0, -1).join(', ')} and ${titles.at(-1)}`;
    const users =
      r.users > 0 ? ` (${count(r.users, 'user')}${r.uncounted ? ` and ${count(r.uncounted, 'site')} without a user count` : ''})` : '';
    const minutes = r.userMinutes > 0 ? `, ${r.userMinutes.toLocaleString('en-US')} user-minutes` : '';
    return `${count(r.sites, 'site')}${users} lost ${what} (longest ${durationWords(r.longestMs)}${minutes})`;
  });
  return parts.length ? `${parts.join('; ')}.` : 'No site lost a service.';
}

/**
 * The summary paragraph, from the facts only: planned or not, what happened to HQ in order (each
 * window against its expected range, overruns said), what was lost where, how it ended.
 */
export function summaryParagraph(ctx: PostmortemContext, rows: readonly ImpactRow[], periods: readonly AddressPeriod[]): string {
  const { incident, timeline } = ctx.detail;
  const names = new Map((ctx.detail.servers ?? []).map((s) => [s.id, s.name]));
  const server = (id: string) => ctx.esc(names.get(id) ?? (id === PRIMARY_ID ? 'the primary HQ server' : 'the secondary HQ server'));
  const story: Story = { ctx, server, since: new Map() };
  const out: string[] = [
    incident.planned
      ? `Planned: it started inside the maintenance window “${ctx.esc(incident.planned)}”, whose alerts were muted.`
      : 'Unplanned.',
  ];
  const at = (e: { at: string }) => Date.parse(e.at);
  const transitions = new Set(timeline.flatMap((e) => (e.type === 'hq-transition' ? [at(e)] : [])));
  const hqServer = (id: string) => id === PRIMARY_ID || id === SECONDARY_ID;
  for (const t of timeline) {
    // A server's change is told by the HQ transition it caused; any other is said on its own.
    if (t.type === 'node-status' && !(hqServer(t.nodeId) && transitions.has(at(t))))
      out.push(`At ${ctx.time.time(t.at)} ${hqServer(t.nodeId) ? server(t.nodeId) : ctx.esc(ctx.name(t.nodeId))} ${nodeChange(t)}.`);
    if (t.type !== 'hq-transition') continue;
    const closed = timeline.find((e): e is WindowClosedEvent => e.type === 'window-closed' && at(e) === at(t));
    const nodes = timeline.filter((e): e is NodeStatusEvent => e.type === 'node-status' && at(e) === at(t));
    out.push(sentence(t, closed, nodes, story));
    // While the secondary controls the system, users need its address: said where it began.
    const period = t.to === 'secondary-active' ? periods.find((p) => Date.parse(p.from) === at(t) && p.address) : undefined;
    if (period)
      out.push(
        `${period.to === null ? 'From then on' : `Until ${ctx.time.time(period.to)}`}, users logging into Call Manager had to specify the secondary’s address, ${ctx.code(period.address!)}.`,
      );
  }
  for (const w of incident.windows) {
    if (w.endedAt !== null) continue;
    const usual = w.kind !== 'outage' && w.estimate ? estimateText(w.estimate, w.kind) : `expected ${expectedText(w)}`;
    const over = w.overrun ? `, past the expected ${expectedText(w)}` : w.kind === 'outage' ? '' : ` (${usual})`;
    out.push(`The ${w.kind === 'outage' ? 'HQ outage' : w.kind} is still under way after ${durationWords(w.durationMs)}${over}.`);
  }
  out.push(lossClauses(rows));
  const gaps = timeline.filter((e) => e.type === 'monitor-gap');
  if (gaps.length) {
    const ms = gaps.reduce((sum, g) => sum + (g.type === 'monitor-gap' ? g.durationMs : 0), 0);
    out.push(`The monitor was not running for ${durationWords(ms)} of it: nothing is known of that time.`);
  }
  out.push(
    incident.endedAt === null
      ? `The incident is still open, ${durationWords(incident.durationMs)} so far.`
      : `The incident closed at ${ctx.time.time(incident.endedAt)}, after ${durationWords(incident.durationMs)}.`,
  );
  return out.join(' ');
}
