// JSON shapes of what vitals reports: seed 001's agent, alert and system shapes, seed 000's
// health_update and health_transition payloads, extended with the engine's richer data.
#pragma once

#include <string_view>

#include "core/agent_view.h"
#include "core/alert.h"
#include "core/incident.h"
#include "core/integration_state.h"
#include "engine/fleet_summary.h"
#include "server/json/json_writer.h"
#include "store/store_types.h"

namespace vitals::server {

// GET /api/health/agent/{id}: seed 001's fields, then health, windows, quantiles, heartbeat...
void WriteAgentView(JsonWriter& w, const core::AgentView& v);
// One row of GET /api/health/agents.
void WriteAgentSummary(JsonWriter& w, const engine::AgentSummary& s);
// Seed 001's alert shape (alert_id, severity, message, source_type, source_id, timestamp,
// action_required, acknowledged) plus type, lifecycle times, who acknowledged, flapping.
void WriteAlert(JsonWriter& w, const core::Alert& a);
// An incident (GET /api/health/incidents, and the "incident" of a notification): id, source,
// severity, cause, title, opened_at, resolved_at, acknowledged, action_required, flapping,
// alert_count, implied_alert_ids (open alerts that add no page, see core::ImpliedBy), then
// "alerts" (WriteAlert each, oldest first).
void WriteIncident(JsonWriter& w, const core::Incident& i);
// Seed 000's health_update data.
void WriteHealthUpdate(JsonWriter& w, std::string_view agent_id, const core::HealthSnapshot& h,
                       core::Timestamp at);
// Seed 000's health_transition data, previous_status filled in.
void WriteTransition(JsonWriter& w, std::string_view agent_id, core::TransitionKind kind,
                     core::HealthStatus previous, const core::HealthSnapshot& h,
                     core::Timestamp at);
void WriteStoredExecution(JsonWriter& w, const store::StoredExecution& e);
void WriteStoredHeartbeat(JsonWriter& w, const store::StoredHeartbeat& h);
void WriteHeartbeatRecord(JsonWriter& w, const core::HeartbeatRecord& h);
void WriteTransitionRecord(JsonWriter& w, const store::TransitionRecord& t);
void WriteFleetSummary(JsonWriter& w, const engine::FleetSummary& f);
// A score (0..100) as the seed's history shows it (0..1); null when unknown.
void WriteScore01(JsonWriter& w, const core::HealthSnapshot& h);

// One element of GET /api/health/integrations: seed 001's integration fields (integration_id,
// integration_name, status, last_used, latency_ms, error_rate, health_trend, connection_status),
// then p95 latency, call counts, dependent and calling agents, active checks and issues.
void WriteIntegration(JsonWriter& w, const core::IntegrationView& v);
// {"total": N, "sources": [{"source_id", "queue_depth", "timestamp"}]}.
void WriteQueueDepths(JsonWriter& w, const engine::QueueDepthSummary& q);

}  // namespace vitals::server
