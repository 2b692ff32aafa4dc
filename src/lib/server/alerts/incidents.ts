/**
 * Alerts become incidents: a household's alerts gather into its one open incident (the database's
 * partial unique index decides, so two workers cannot open two), repeats are counted, and the
 * incident takes the worst severity among them. Every alert is written to the incident's timeline.
 */
import type { IncidentSummary } from '../../realtime/events';
import type { Sql } from '../db/client';
import type { AlertKind, Severity } from './alert-kinds';
import { CLOSED_STATES, nextState, type IncidentAction, type IncidentState } from './incident-state';

export interface AlertInput {
	householdId: number;
	districtCode: string;
	communityCode: string | null;
	location: [number, number];
	kind: AlertKind;
	severity: Severity;
	at: Date;
	/** Who raised it, for the timeline: e.g. `device:FD-0001`. */
	actor: string;
	detail: Record<string, unknown>;
}

const SEVERITY_ORDER = ['low', 'medium', 'high', 'critical'];

/** The columns toSummary reads; a constant, so it is safe to splice into a query. */
export const SUMMARY_COLUMNS =
	'id, household_id, district_code, community_code, kind, kinds, severity, state, alert_count, ' +
	'st_x(location) as lon, st_y(location) as lat, opened_at, last_alert_at';

/** Opens the household's incident or attaches the alert to the open one; returns it and whether it is new. */
export async function raiseAlert(
	tx: Sql,
	alert: AlertInput
): Promise<{ incident: IncidentSummary; opened: boolean }> {
	const [row] = await tx`
		insert into incidents (household_id, district_code, community_code, kind, severity, kinds, location, opened_at, last_alert_at)
		values (${alert.householdId}, ${alert.districtCode}, ${alert.communityCode}, ${alert.kind}, ${alert.severity},
			${tx.array([alert.kind])}::text[], st_setsrid(st_makepoint(${alert.location[0]}, ${alert.location[1]}), 4326),
			${alert.at}, ${alert.at})
		on conflict (household_id) where state not in ('resolved', 'false_alarm') do update set
			alert_count = incidents.alert_count + 1,
			kinds = case when excluded.kind = any(incidents.kinds) then incidents.kinds
				else incidents.kinds || excluded.kind end,
			-- The incident is led by its most urgent alert.
			kind = case when array_position(${tx.array(SEVERITY_ORDER)}::text[], excluded.severity)
				> array_position(${tx.array(SEVERITY_ORDER)}::text[], incidents.severity) then excluded.kind else incidents.kind end,
			severity = case when array_position(${tx.array(SEVERITY_ORDER)}::text[], excluded.severity)
				> array_position(${tx.array(SEVERITY_ORDER)}::text[], incidents.severity) then excluded.severity else incidents.severity end,
			last_alert_at = greatest(incidents.last_alert_at, excluded.last_alert_at),
			updated_at = now()
		returning ${tx.unsafe(SUMMARY_COLUMNS)}, (xmax = 0) as opened`;
	await tx`
		insert into incident_events (incident_id, at, actor, action, detail)
		values (${row.id}, ${alert.at}, ${alert.actor}, ${row.opened ? 'opened' : 'alert_attached'},
			${tx.json({ kind: alert.kind, severity: alert.severity, ...alert.detail } as never)})`;
	return { incident: toSummary(row), opened: row.opened };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function toSummary(row: any): IncidentSummary {
	return {
		id: Number(row.id),
		householdId: Number(row.householdId),
		districtCode: row.districtCode,
		communityCode: row.communityCode,
		kind: row.kind,
		kinds: row.kinds,
		severity: row.severity,
		state: row.state,
		alertCount: row.alertCount,
		location: [row.lon, row.lat],
		openedAt: new Date(row.openedAt).toISOString(),
		lastAlertAt: new Date(row.lastAlertAt).toISOString()
	};
}

/** Open incidents of a district, most urgent first, then oldest first. */
export async function openIncidents(sql: Sql, districtCode: string): Promise<IncidentSummary[]> {
	const rows = await sql`
		select ${sql.unsafe(SUMMARY_COLUMNS)}
		from incidents
		where district_code = ${districtCode} and state not in ('resolved', 'false_alarm')
		order by array_position(${sql.array(SEVERITY_ORDER)}::text[], severity) desc, opened_at`;
	return rows.map(toSummary);
}

/** An action on an incident that cannot be carried out; `code` is stable, `message` is for people. */
export class IncidentActionError extends Error {
	constructor(
		readonly code: 'NOT_FOUND' | 'INVALID_TRANSITION',
		message: string
	) {
		super(message);
	}
}

/**
 * Moves an incident through its life cycle in one transaction: the row is locked, the state machine
 * decides, the change and its timeline entry are written together. Two dispatchers acting at once
 * are serialised by the lock, so the second sees the first's result and gets a clear refusal.
 */
export async function actOnIncident(
	sql: Sql,
	command: {
		incidentId: number;
		action: IncidentAction;
		actor: string;
		outcome?: string | null;
		note?: string | null;
	}
): Promise<IncidentSummary> {
	return sql.begin(async (begun) => {
		const tx = begun as unknown as Sql;
		const [current]: { state: IncidentState }[] =
			await tx`select state from incidents where id = ${command.incidentId} for update`;
		if (!current) throw new IncidentActionError('NOT_FOUND', `incident ${command.incidentId} does not exist`);
		const transition = nextState(current.state, command.action, command.outcome);
		if (!transition.ok) throw new IncidentActionError('INVALID_TRANSITION', transition.reason);
		const closing = CLOSED_STATES.includes(transition.to);
		const [row] = await tx`
			update incidents set state = ${transition.to}, updated_at = now(),
				closed_at = ${closing ? tx`now()` : null},
				outcome = ${closing ? (command.outcome ?? transition.to) : null}
			where id = ${command.incidentId}
			returning ${tx.unsafe(SUMMARY_COLUMNS)}`;
		await tx`
			insert into incident_events (incident_id, actor, action, from_state, to_state, detail)
			values (${command.incidentId}, ${command.actor}, ${command.action}, ${current.state}, ${transition.to},
				${tx.json({ outcome: command.outcome ?? null, note: command.note ?? null })})`;
		return toSummary(row);
	});
}
