// Pieces of the overview: which agents are broken (and why), the system cards' status, and the
// hint an empty dashboard gives.
import { Alerts } from '../alerts';
import { badge, h } from '../dom';
import { AgentRow, Fleet } from '../fleet';
import { Incidents } from '../incidents';

const kBrokenLimit = 12;
const kHealthRank: Record<string, number> = { critical: 0, degraded: 1 };

// The broken agents (critical first, then degraded; lowest score first), each with its status,
// its worst open cause (from its incident) and a link to its page. `pending` is shown instead
// until the fleet has been read.
export function brokenAgents(fleet: Fleet, incidents: Incidents, pending: string | null): HTMLElement {
  const broken: AgentRow[] = [];
  for (const r of fleet.rows.values()) if (r.health in kHealthRank) broken.push(r);
  broken.sort(
    (a, b) =>
      kHealthRank[a.health] - kHealthRank[b.health] ||
      (a.score ?? 0) - (b.score ?? 0) ||
      a.agent_id.localeCompare(b.agent_id),
  );
  const shown = broken.slice(0, kBrokenLimit);
  const body = pending
    ? h('p', { class: 'empty waiting' }, pending)
    : broken.length === 0
      ? h('p', { class: 'empty' }, fleet.rows.size ? 'No agent is degraded or critical.' : 'No agents yet.')
      : h(
          'ul',
          { class: 'broken-list' },
          shown.map((r) => brokenRow(r, incidents)),
          broken.length > shown.length
            ? h(
                'li',
                { class: 'more' },
                h('a', { href: '#/agents' }, `${broken.length - shown.length} more in the agents table…`),
              )
            : null,
        );
  return h(
    'section',
    { class: 'panel broken-agents', 'aria-labelledby': 'broken-title' },
    h('h2', { id: 'broken-title' }, `Broken agents (${broken.length})`),
    body,
  );
}

function brokenRow(r: AgentRow, incidents: Incidents): HTMLElement {
  const incident = incidents.worstFor('agent', r.agent_id);
  // The title is "<source type> <source id>: <message>"; the source is already on the row.
  const prefix = `agent ${r.agent_id}: `;
  const message = incident?.title.startsWith(prefix) ? incident.title.slice(prefix.length) : incident?.title;
  const name = r.agent_name && r.agent_name !== r.agent_id ? `${r.agent_name} · ${r.agent_id}` : r.agent_id;
  return h(
    'li',
    { class: 'broken', 'data-agent-id': r.agent_id },
    badge(r.health),
    h('a', { class: 'name', href: `#/agent/${encodeURIComponent(r.agent_id)}` }, name),
    h(
      'span',
      { class: 'cause' },
      incident ? [h('span', { class: 'cause-type' }, incident.cause), ` — ${message}`] : 'no open alert',
    ),
  );
}

const kSeverityLevel: Record<string, string> = { critical: 'critical', warning: 'warning', info: 'healthy' };
const kLevelRank: Record<string, number> = { critical: 0, warning: 1, healthy: 2 };

// A system figure's status from the collector's level (cpu, memory) and the open system alerts of
// `types` (their threshold decisions), whichever is worse; "unknown" when there is no figure.
export function systemLevel(alerts: Alerts, types: string[], level?: string, known = true): string {
  if (!known) return 'unknown';
  let worst = level && level in kLevelRank ? level : 'healthy';
  for (const a of alerts.open.values()) {
    if (a.source_type !== 'system' || !types.includes(a.type)) continue;
    const l = kSeverityLevel[a.severity] ?? 'healthy';
    if (kLevelRank[l] < kLevelRank[worst]) worst = l;
  }
  return worst;
}

// The worst of several levels ("healthy" | "warning" | "critical"); undefined when none is known.
export function worstLevel(levels: (string | undefined)[]): string | undefined {
  let worst: string | undefined;
  for (const l of levels) {
    if (l && l in kLevelRank && (worst === undefined || kLevelRank[l] < kLevelRank[worst])) worst = l;
  }
  return worst;
}

export function statusBadge(level: string): HTMLElement {
  return badge(level === 'healthy' ? 'ok' : level);
}

// Agents that report: executions in the last five minutes, one in flight, or a heartbeat still
// arriving (healthy or degraded). Paused agents do not count.
export function isReporting(r: AgentRow): boolean {
  if (r.status === 'paused') return false;
  return (
    r.success_rate_5min !== null || r.in_flight > 0 || r.heartbeat === 'healthy' || r.heartbeat === 'degraded'
  );
}

// What an empty dashboard shows: how to send the first data, ready to paste.
export function emptyHint(withKey: boolean): HTMLElement {
  const origin = location.origin;
  const auth = withKey ? ` \\\n  -H "Authorization: Bearer $VITALS_API_KEY"` : '';
  const execution =
    `curl -X POST ${origin}/api/v1/executions -H 'Content-Type: application/json'${auth} \\\n` +
    `  -d '[{"agent_id":"my-agent","action_type":"llm_call","status":"success","latency_ms":120}]'`;
  const heartbeat =
    `curl -X POST ${origin}/api/v1/heartbeats -H 'Content-Type: application/json'${auth} \\\n` +
    `  -d '{"agent_id":"my-agent"}'`;
  return h(
    'section',
    { class: 'panel empty-hint', id: 'empty-hint' },
    h('h2', {}, 'No data yet'),
    h('p', {}, 'Report an execution (or a heartbeat) and the agent appears here within a second:'),
    h('pre', {}, h('code', {}, execution)),
    h('pre', {}, h('code', {}, heartbeat)),
  );
}
