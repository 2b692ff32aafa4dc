/**
 * What a dispatcher sees for one incident: the household and its contacts, its devices and their
 * latest events, the full timeline, the nearest responders, the facilities within 15 minutes and
 * whom each rung of the escalation ladder calls.
 * It holds a resident's personal data, so reading it is written to the audit log.
 */
import type { IncidentDetail, IncidentSummary, TimelineEntry } from '../../realtime/events';
import { recordAudit } from '../audit/audit-log';
import type { Sql } from '../db/client';
import { proposeResponders } from '../dispatch/dispatch';
import { facilitiesWithinCircle } from '../dispatch/proposals';
import { CIRCLE_SECONDS, ELDERLY_SPEED_MPS } from '../../routing/walking-area';
import { activeWalkGraph } from '../routing/walk-graph-store';
import { walkingTimesFrom } from '../../routing/walk-graph';
import { escalationLadders } from './escalation-ladder';
import { SUMMARY_COLUMNS, toSummary } from './incidents';

/**
 * A console loading its queue (at first and again after a reconnect): each incident carries its
 * home's location, so the read is audited as one `incident.list` row naming the households.
 */
export async function auditQueueRead(
	sql: Sql,
	reader: { actor: string; districtCode: string },
	incidents: readonly IncidentSummary[]
): Promise<void> {
	await recordAudit(sql, {
		actor: reader.actor,
		action: 'incident.list',
		subjectType: 'incident',
		subjectId: '*',
		districtCode: reader.districtCode,
		detail: { householdIds: incidents.map((i) => i.householdId) }
	});
}

const iso = (value: Date | string | null) => (value ? new Date(value).toISOString() : null);

export async function incidentDetail(
	sql: Sql,
	incidentId: number,
	reader: { actor: string; districtCode: string }
): Promise<IncidentDetail | null> {
	const [row] = await sql`
		select ${sql.unsafe(SUMMARY_COLUMNS)} from incidents
		where id = ${incidentId} and district_code = ${reader.districtCode}`;
	if (!row) return null;
	const incident = toSummary(row);
	const [household] = await sql`
		select h.id, h.external_id, h.resident_name, h.phone, h.address, h.risk_level, h.consent,
			h.emergency_contacts, c.name as community_name, s.name as street_name
		from households h
		left join regions c on c.code = h.community_code
		left join regions s on s.code = c.parent_code
		where h.id = ${incident.householdId}`;
	const [devices, events, timeline, facilities, graph, proposals, ladders] = await Promise.all([
		sql`select id, kind, online, battery, last_seen, firmware from devices
			where household_id = ${incident.householdId} and retired_at is null order by id`,
		sql`select e.device_id, e.event_id, e.type, e.occurred_at from device_events e
			join devices d on d.id = e.device_id
			where d.household_id = ${incident.householdId} order by e.occurred_at desc limit 30`,
		sql`select at, actor, action, from_state, to_state, detail from incident_events
			where incident_id = ${incidentId} order by at, id`,
		sql<{ id: string; name: string; kind: string; lon: number; lat: number }[]>`
			select id, name, kind, st_x(geom) as lon, st_y(geom) as lat from facilities
			where starts_with(region_code, ${incident.districtCode}) and status = 'open'`,
		activeWalkGraph(sql, incident.districtCode),
		proposeResponders(sql, incident, { limit: 5 }),
		escalationLadders(sql, [incident])
	]);
	const elderlyWalk = walkingTimesFrom(graph, incident.location, {
		speedMps: ELDERLY_SPEED_MPS,
		limitSeconds: CIRCLE_SECONDS
	});
	await recordAudit(sql, {
		actor: reader.actor,
		action: 'incident.detail_read',
		subjectType: 'household',
		subjectId: incident.householdId,
		districtCode: incident.districtCode,
		detail: { incidentId }
	});
	return {
		incident,
		household: {
			id: Number(household.id),
			externalId: household.externalId,
			residentName: household.residentName,
			phone: household.phone,
			address: household.address,
			riskLevel: household.riskLevel,
			consent: household.consent,
			emergencyContacts: household.emergencyContacts,
			communityName: household.communityName,
			streetName: household.streetName
		},
		devices: devices.map((d) => ({
			id: d.id,
			kind: d.kind,
			online: d.online,
			battery: d.battery,
			lastSeen: iso(d.lastSeen),
			firmware: d.firmware
		})),
		deviceEvents: events.map((e) => ({
			deviceId: e.deviceId,
			eventId: e.eventId,
			type: e.type,
			at: iso(e.occurredAt)!
		})),
		timeline: timeline.map((t): TimelineEntry => ({
			at: iso(t.at)!,
			actor: t.actor,
			action: t.action,
			fromState: t.fromState,
			toState: t.toState,
			detail: t.detail
		})),
		proposals,
		facilities: facilitiesWithinCircle(
			elderlyWalk,
			facilities.map((f) => ({ id: f.id, name: f.name, kind: f.kind, location: [f.lon, f.lat] }))
		),
		escalationLadder: ladders.get(incident.householdId)!
	};
}
