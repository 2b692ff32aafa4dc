/**
 * Operational metrics in the Prometheus text format: what this process's ingest has seen and how far
 * behind it is, the consoles attached to this node, and the district's state as the database knows
 * it (open incidents, dead letters, devices offline, SLA breaches). Per-process samples carry a
 * `node` label, so one scrape per node adds up across a deployment; the ingest rate is
 * `rate(carecircle_ingest_stored_total[1m])`.
 */
import { DEAD_LETTER_KINDS, deadLettersByKind } from '../ingest/dead-letters';
import type { Services } from '../services';

type Sample = {
	name: string;
	help: string;
	type: 'counter' | 'gauge';
	values: [Record<string, string>, number][];
};

function render(samples: Sample[]): string {
	const lines: string[] = [];
	for (const s of samples) {
		lines.push(`# HELP ${s.name} ${s.help}`, `# TYPE ${s.name} ${s.type}`);
		for (const [labels, value] of s.values) {
			const text = Object.entries(labels)
				.map(([k, v]) => `${k}="${v.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`)
				.join(',');
			lines.push(`${s.name}${text ? `{${text}}` : ''} ${value}`);
		}
	}
	return lines.join('\n') + '\n';
}

export async function renderMetrics(services: Services): Promise<string> {
	const { sql } = services.database;
	const [incidents, letters, devices, breaches] = await Promise.all([
		sql<{ severity: string; state: string; n: number }[]>`
			select severity, state, count(*)::int as n from incidents
			where state not in ('resolved', 'false_alarm') group by severity, state`,
		deadLettersByKind(sql),
		sql<{ online: boolean; n: number }[]>`
			select online, count(*)::int as n from devices where retired_at is null group by online`,
		// Read through the partial index of migration 0017.
		sql<{ missed: string | null; n: number }[]>`
			select detail->>'missed' as missed, count(*)::int as n from incident_events
			where action = 'escalate' and actor = 'sla-timer' group by 1`
	]);
	const samples: Sample[] = [
		{
			name: 'carecircle_open_incidents',
			help: 'Open incidents by severity and state.',
			type: 'gauge',
			values: incidents.map((r) => [{ severity: r.severity, state: r.state }, r.n])
		},
		{
			name: 'carecircle_dead_letters',
			help: 'Messages refused and kept in the dead-letter table, by the kind of fault (oversized, not_json, schema, topic, unknown_device, wrong_district, foreign_device, not_stored, other).',
			type: 'gauge',
			// Every kind, zeros included, so each series exists from the first scrape.
			values: DEAD_LETTER_KINDS.map((kind) => [
				{ reason: kind },
				letters.find((l) => l.kind === kind)?.count ?? 0
			])
		},
		{
			name: 'carecircle_devices',
			help: 'Devices in service, online or offline.',
			type: 'gauge',
			values: devices.map((r) => [{ state: r.online ? 'online' : 'offline' }, r.n])
		},
		{
			name: 'carecircle_sla_breaches_total',
			help: 'SLA timers that ran out and escalated an incident, by the timer missed (ack or on_scene).',
			type: 'counter',
			values: breaches.map((r) => [{ missed: r.missed ?? 'ack' }, r.n])
		}
	];
	if (services.socketConnections) {
		samples.push({
			name: 'carecircle_socket_connections',
			help: 'Consoles (socket.io connections) attached to this node.',
			type: 'gauge',
			values: [[{ node: services.nodeName }, services.socketConnections()]]
		});
	}
	const stats = services.ingest?.stats;
	if (stats) {
		const counter = (name: string, help: string, value: number): Sample => ({
			name: `carecircle_ingest_${name}_total`,
			help,
			type: 'counter',
			values: [[{ node: services.nodeName }, value]]
		});
		samples.push(
			counter('received', 'Uplink messages this process received.', stats.received),
			counter('stored', 'Messages stored for the first time.', stats.stored),
			counter('duplicates', 'Redelivered messages recognised as already stored.', stats.duplicates),
			counter('dead_letters', 'Messages this process refused, with a reason.', stats.deadLetters),
			counter('retries', 'Batches retried while the database was unreachable.', stats.retries),
			counter('batches', 'Batches written, one transaction each.', stats.batches)
		);
		const drained = services.peerDrain?.stats;
		if (drained)
			samples.push(
				counter(
					'drained',
					'Messages this process took from the sessions of ingest workers gone silent.',
					drained.messages
				),
				counter(
					'peers_drained',
					'Silent ingest workers whose sessions this process emptied and ended.',
					drained.peers
				)
			);
		const backlog = services.ingest!.backlog();
		const gauge = (name: string, help: string, value: number): Sample => ({
			name: `carecircle_ingest_${name}`,
			help,
			type: 'gauge',
			values: [[{ node: services.nodeName }, value]]
		});
		samples.push(
			gauge('backlog_messages', 'Messages received by this process and not yet stored.', backlog.messages),
			gauge(
				'lag_seconds',
				'How long the oldest message not yet stored has waited in this process (0 when none waits).',
				backlog.oldestWaitS
			)
		);
	}
	return render(samples);
}
