// The dashboard's entry point: the stores (fleet, alerts), the live feed, the key prompt, and a
// hash router that mounts one view at a time.
import './app.css';
import { Alerts } from './alerts';
import { Api } from './api';
import { Fleet, AgentRow } from './fleet';
import { Incidents } from './incidents';
import { Live, LiveEvent, LiveState } from './live';
import { AgentView } from './views/agent';
import { AgentsView } from './views/agents';
import { AlertsPanel } from './views/alerts_panel';
import { IntegrationsView } from './views/integrations';
import { OverviewView } from './views/overview';

interface View {
  el: HTMLElement;
  destroy(): void;
  refresh?(): Promise<void>;
  onEvent?(e: LiveEvent): void;
}

const kPageSize = 10000;

function askKey(reason: string): Promise<string | null> {
  const dialog = document.getElementById('key-dialog') as HTMLDialogElement;
  const input = document.getElementById('key-input') as HTMLInputElement;
  document.getElementById('key-reason')!.textContent = reason;
  input.value = '';
  dialog.showModal();
  return new Promise((resolve) => {
    dialog.addEventListener(
      'close',
      () => resolve(dialog.returnValue === 'ok' && input.value ? input.value.trim() : null),
      { once: true },
    );
  });
}

const api = new Api(async (reason) => {
  const key = await askKey(reason);
  if (key !== null) setTimeout(() => live.restart(), 0);
  return key;
});
const alerts = new Alerts(api);
const incidents = new Incidents(api);
let agentsReload = 0;
let agentsLoading = false;
const fleet = new Fleet(() => reloadAgentsSoon());
let view: View | null = null;

// Reads the whole fleet, a page at a time.
async function loadAgents(): Promise<void> {
  if (agentsLoading) return reloadAgentsSoon();
  agentsLoading = true;
  try {
    const rows: AgentRow[] = [];
    for (let offset = 0; ; offset += kPageSize) {
      const body = await api.get<any>(`/api/health/agents?limit=${kPageSize}&offset=${offset}`);
      const page: AgentRow[] = body?.agents ?? [];
      rows.push(...page);
      if (page.length < kPageSize || rows.length >= (body?.total ?? 0)) break;
    }
    fleet.replaceAll(rows);
  } finally {
    agentsLoading = false;
  }
}

function reloadAgentsSoon(): void {
  if (!agentsReload)
    agentsReload = window.setTimeout(() => ((agentsReload = 0), loadAgents().catch(() => {})), 1500);
}

function onEvent(e: LiveEvent): void {
  const d = e.data ?? {};
  switch (e.type) {
    case 'health_update':
      fleet.patch(d.agent_id, {
        health: d.status,
        score: d.score ?? null,
        success_rate_5min: d.success_rate_5min ?? null,
        latency_p95_ms: d.latency_p95 ?? null,
      });
      break;
    case 'health_transition':
      fleet.patch(d.agent_id, { health: d.new_status, score: d.score ?? null });
      break;
    case 'alert_raised':
    case 'alert_acknowledged':
    case 'alert_resolved':
    case 'alert_escalated':
      if (d.alert) alerts.apply(d.alert);
      incidents.changed();
      break;
    case 'health:update':
      for (const a of (d.agents ?? []) as AgentRow[]) fleet.patch(a.agent_id, a);
      // The periodic summary is the cue to re-read what has no event of its own (system, integrations).
      if (!(view instanceof AgentsView)) view?.refresh?.().catch(() => {});
      break;
  }
  view?.onEvent?.(e);
}

let liveState: { state: LiveState; detail: string } = { state: 'connecting', detail: 'connecting…' };

// While the key dialog is open the page is neither live nor failing: it waits for the key (F18).
function showState(): void {
  const waiting = api.waitingForKey;
  const state = waiting ? 'key' : liveState.state;
  const el = document.getElementById('conn')!;
  el.className = `conn conn-${state}`;
  el.dataset.state = state;
  document.getElementById('conn-text')!.textContent = waiting ? 'waiting for an API key' : liveState.detail;
}

function onState(state: LiveState, detail: string): void {
  liveState = { state, detail };
  showState();
}
api.onKeyWait(showState);

const live = new Live(() => api.key, {
  onEvent,
  onState,
  // Each (re)connection reloads the snapshot: events missed while away are not replayed.
  onOpen: () => {
    loadAgents().catch(() => {});
    alerts.load().catch(() => {});
    incidents.load().catch(() => {});
    view?.refresh?.().catch(() => {});
  },
  // An authenticated request tells a refused key (and asks for one) from a server that is down.
  onFail: () => {
    api.get('/api/health/system').catch(() => {});
  },
});

function route(): void {
  const hash = decodeURIComponent(location.hash.replace(/^#\/?/, ''));
  const [name, ...rest] = hash.split('/');
  view?.destroy();
  const open = (id: string) => (location.hash = `#/agent/${encodeURIComponent(id)}`);
  if (name === 'agents') view = new AgentsView(fleet, open);
  else if (name === 'agent' && rest.length) view = new AgentView(api, incidents, rest.join('/'));
  else if (name === 'alerts') view = new AlertsPanel(incidents, api, { title: 'Open incidents' });
  else if (name === 'integrations') view = new IntegrationsView(api);
  else view = new OverviewView(api, fleet, alerts, incidents);
  const main = document.getElementById('main')!;
  main.replaceChildren(view.el);
  for (const a of document.querySelectorAll('nav a')) {
    const target = (a as HTMLAnchorElement).getAttribute('href')!.replace(/^#\/?/, '');
    if (target === (name === 'agent' ? 'agents' : name)) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

window.addEventListener('hashchange', route);
route();
// One authenticated request first: a server that needs a key asks for it before the live feed
// starts, so the page never shows a failing connection behind the key dialog (F18).
api
  .get('/api/health/system')
  .catch(() => {})
  .finally(() => live.start());
// Exposed for tests and debugging in the console.
(window as any).vitals = { fleet, alerts, incidents, live };
