/**
 * Alerts become incidents: a household's alerts gather into its one open incident (the database's
 * partial unique index decides, so two workers cannot open two), repeats are counted, and the
 * incident takes the worst severity among them and the confidence its alerts add up to. A more
 * urgent alert restarts the SLA clock for its severity, whatever the state or rung, and on an
 * incident already acknowledged puts it back to be answered. Every alert is written to the
 * incident's timeline.
 *
 * The clocks run on the platform's time, when the alert was recorded: a device's own clock may be
 * wrong by hours, and an SOS stamped yesterday must not escalate at once nor one stamped tomorrow
 * never. The device's time is kept on the timeline entry.
 */
import type { CommandResult, IncidentSummary, RefusalDetail, ResponderSummary } from '../../realtime/events';
import { RESPONDER_COLUMNS, toResponder } from '../dispatch/responders';
import type { Sql } from '../db/client';
import type { AlertKind, Severity } from './alert-kinds';
import { assessConfidence } from './confidence';
import { unitsCalled } from './escalation-ladder';
import {
	ANSWERED_STATES,
	CLOSED_STATES,
	nextState,
	type IncidentAction,
	type IncidentState,
	type StateRefusal
} from './incident-state';

export interface AlertInput {
	householdId: number;
	districtCode: string;
	communityCode: string | null;
	location: [number, number];
	kind: AlertKind;
	severity: Severity;
	/** When it happened, by the device's clock (kept on the timeline; the SLA runs on the platform's). */
	at: Date;
	/** Who raised it, for the timeline: e.g. `device:FD-0001`. */
	actor: string;
	detail: Record<string, unknown>;
}

const SEVERITY_ORDER = ['low', 'medium', 'high', 'critical'];

/**
 * The columns toSummary reads, for a query over `incidents` (not aliased); a constant, so it is
 * safe to splice into a query.
 */
export const SUMMARY_COLUMNS =
	'id, household_id, district_code, community_code, kind, kinds, severity, state, alert_count, ' +
	'st_x(location) as lon, st_y(location) as lat, opened_at, last_alert_at, acknowledged_at, ' +
	'escalation_level, sla_kind, sla_due_at, confidence, critical_since, ' +
	"(select json_build_object('id', r.id, 'name', r.name, 'assignment', a.state) " +
	'from incident_assignments a join responders r on r.id = a.responder_id ' +
	"where a.incident_id = incidents.id and a.state in ('offered', 'accepted')) as responder";

/** Opens the household's incident or attaches the alert to the open one; returns it and whether it is new. */
export async function raiseAlert(
	tx: Sql,
	alert: AlertInput
): Promise<{ incident: IncidentSummary; opened: boolean }> {
	return (await raiseAlerts(tx, [alert])).incidents[0];
}

/** What a batch of alerts did: each household's incident once, and the incident of every alert. */
export interface RaisedAlerts {
	incidents: { incident: IncidentSummary; opened: boolean }[];
	/** The incident each alert went to, in the order given. */
	incidentIds: number[];
}

/**
 * The alerts of one household in a batch, as one change of its incident: counted together, led by
 * the first of the most severe (whose acknowledge target is the shortest), the kinds in order of
 * first appearance. The same as attaching them one after another.
 */
function gatherHouseholdAlerts(alerts: readonly AlertInput[]): {
	first: AlertInput;
	lead: AlertInput;
	count: number;
	kinds: string[];
} {
	const rank = (a: AlertInput) => SEVERITY_ORDER.indexOf(a.severity);
	let lead = alerts[0];
	for (const a of alerts) if (rank(a) > rank(lead)) lead = a;
	return { first: alerts[0], lead, count: alerts.length, kinds: [...new Set(alerts.map((a) => a.kind))] };
}

/**
 * Raises a batch of alerts in a few statements whatever its size: each household's open incident is
 * opened or joined once (in household order, so that workers filing side by side lock incidents in
 * the same order and cannot deadlock), then every alert goes on its incident's timeline in order.
 */
export async function raiseAlerts(tx: Sql, alerts: readonly AlertInput[]): Promise<RaisedAlerts> {
	if (alerts.length === 0) return { incidents: [], incidentIds: [] };
	const byHousehold = new Map<number, AlertInput[]>();
	for (const alert of alerts) {
		const own = byHousehold.get(alert.householdId) ?? [];
		own.push(alert);
		byHousehold.set(alert.householdId, own);
	}
	const households = [...byHousehold.keys()].sort((a, b) => a - b);
	const changes = households.map((id) => gatherHouseholdAlerts(byHousehold.get(id)!));
	const column = <T>(pick: (c: (typeof changes)[number]) => T) => changes.map(pick);
	const order = tx.array(SEVERITY_ORDER);
	const moreUrgent = tx`array_position(${order}::text[], excluded.severity) > array_position(${order}::text[], incidents.severity)`;
	// Answered already, and now more urgent: it must be answered again.
	const reopens = tx`(${moreUrgent} and incidents.state = 'acknowledged')`;
	// With a responder offered it or on the way, the clock that restarts is the on-scene one.
	const onTheWay = tx`incidents.state in ('assigned', 'en_route')`;
	const rows = await tx`
		insert into incidents (household_id, district_code, community_code, kind, severity, kinds, location,
			opened_at, last_alert_at, alert_count, confidence, critical_since, sla_kind, sla_due_at)
		select household_id, district_code, community_code, kind, u.severity, string_to_array(kinds, ','),
			st_setsrid(st_makepoint(lon, lat), 4326), now(), now(), alert_count, confidence,
			case when u.severity = 'critical' then now() end,
			'ack', now() + make_interval(secs => t.ack_s)
		from unnest(
			${tx.array(households)}::bigint[],
			${tx.array(column((c) => c.first.districtCode))}::text[],
			${tx.array(column((c) => c.first.communityCode))}::text[],
			${tx.array(column((c) => c.lead.kind))}::text[],
			${tx.array(column((c) => c.lead.severity))}::text[],
			${tx.array(column((c) => c.kinds.join(',')))}::text[],
			${tx.array(column((c) => c.first.location[0]))}::float8[],
			${tx.array(column((c) => c.first.location[1]))}::float8[],
			${tx.array(column((c) => c.count))}::int[],
			${tx.array(column((c) => assessConfidence(c.kinds, false).confidence))}::text[])
			as u(household_id, district_code, community_code, kind, severity, kinds, lon, lat, alert_count, confidence)
		join sla_targets t on t.severity = u.severity
		order by household_id
		on conflict (household_id) where state not in ('resolved', 'false_alarm') do update set
			alert_count = incidents.alert_count + excluded.alert_count,
			kinds = incidents.kinds || array(select k from unnest(excluded.kinds) with ordinality as x(k, i)
				where k <> all(incidents.kinds) order by i),
			-- The incident is led by its most urgent alert.
			kind = case when ${moreUrgent} then excluded.kind else incidents.kind end,
			severity = case when ${moreUrgent} then excluded.severity else incidents.severity end,
			critical_since = case when excluded.severity = 'critical' and incidents.severity <> 'critical'
				then now() else incidents.critical_since end,
			last_alert_at = now(),
			state = case when ${reopens} then 'new' else incidents.state end,
			acknowledged_at = case when ${reopens} then null else incidents.acknowledged_at end,
			reopened_at = case when ${reopens} then now() else incidents.reopened_at end,
			-- A more urgent alert is a new emergency: its severity's clock starts now, whether the
			-- incident waits to be answered (on any rung: the top one has no timer left) or a responder
			-- is on the way. Someone on scene has nothing left due. Another alert of the same urgency
			-- while nobody has answered keeps the earlier deadline.
			sla_kind = case when not ${moreUrgent} then incidents.sla_kind
				when incidents.state = 'on_scene' then null
				when ${onTheWay} then 'on_scene' else 'ack' end,
			sla_due_at = case when not ${moreUrgent} then
					case when incidents.sla_kind = 'ack' then least(incidents.sla_due_at, excluded.sla_due_at)
						else incidents.sla_due_at end
				when incidents.state = 'on_scene' then null
				when ${onTheWay} then now() + make_interval(secs =>
					(select on_scene_s from sla_targets t where t.severity = excluded.severity))
				else excluded.sla_due_at end,
			updated_at = now()
		returning ${tx.unsafe(SUMMARY_COLUMNS)}, (xmax = 0) as opened,
			coalesce(reopened_at = now(), false) as reopened`;
	const incidentOf = new Map<number, { incident: IncidentSummary; opened: boolean }>();
	for (const row of rows)
		incidentOf.set(Number(row.householdId), { incident: toSummary(row), opened: row.opened });
	const reopened = rows.filter((row) => row.reopened).map((row) => incidentOf.get(Number(row.householdId))!);
	const reassessed = await reassessConfidence(
		tx,
		[...incidentOf.values()].map((c) => c.incident)
	);

	// The timeline: the alert that opened an incident says so, every other one joined it.
	const timeline = alerts.map((alert) => {
		const { incident, opened } = incidentOf.get(alert.householdId)!;
		return {
			alert,
			incident,
			action: opened && byHousehold.get(alert.householdId)![0] === alert ? 'opened' : 'alert_attached'
		};
	});
	// After the alerts: what they changed about the incident as a whole.
	for (const { incident } of reopened) {
		const lead = byHousehold.get(incident.householdId)!.find((a) => a.severity === incident.severity)!;
		timeline.push({ alert: lead, incident, action: 'reopened' });
	}
	const entries = [
		...timeline.map((t) => ({
			incidentId: t.incident.id,
			actor: t.alert.actor,
			action: t.action,
			fromState: t.action === 'reopened' ? 'acknowledged' : null,
			toState: t.action === 'reopened' ? 'new' : null,
			detail: {
				kind: t.alert.kind,
				severity: t.alert.severity,
				occurredAt: t.alert.at.toISOString(),
				...t.alert.detail
			}
		})),
		...reassessed.map((r) => ({
			incidentId: r.incident.id,
			actor: 'platform',
			action: 'confidence_changed',
			fromState: null,
			toState: null,
			detail: { confidence: r.incident.confidence, evidence: r.evidence }
		}))
	];
	await tx`
		insert into incident_events (incident_id, actor, action, from_state, to_state, detail)
		select incident_id, actor, action, from_state, to_state, detail from unnest(
			${tx.array(entries.map((e) => e.incidentId))}::bigint[],
			${tx.array(entries.map((e) => e.actor))}::text[],
			${tx.array(entries.map((e) => e.action))}::text[],
			${tx.array(entries.map((e) => e.fromState))}::text[],
			${tx.array(entries.map((e) => e.toState))}::text[],
			${tx.array(entries.map((e) => JSON.stringify(e.detail)))}::jsonb[])
			with ordinality as u(incident_id, actor, action, from_state, to_state, detail, n)
		order by n`;
	return {
		incidents: households.map((id) => incidentOf.get(id)!),
		incidentIds: timeline.map((t) => t.incident.id)
	};
}

/**
 * Sets the confidence of the incidents whose alerts now add up to a different one (the summaries
 * are updated in place) and says what it rests on. The door is read only for a fall or inactivity
 * not yet of high confidence, which keeps this off the path of a burst of repeats.
 */
async function reassessConfidence(
	tx: Sql,
	incidents: IncidentSummary[]
): Promise<{ incident: IncidentSummary; evidence: string[] }[]> {
	const doorMatters = incidents.filter(
		(i) => i.confidence !== 'high' && (i.kinds.includes('fall') || i.kinds.includes('inactivity'))
	);
	const doorClosed = new Set<number>();
	if (doorMatters.length > 0) {
		const doors = await tx<{ householdId: string }[]>`
			select d.household_id from devices d
			cross join lateral (
				select type from device_events e
				where e.device_id = d.id and e.type in ('door_open', 'door_closed')
				order by e.occurred_at desc limit 1) latest
			where d.household_id = any(${tx.array(doorMatters.map((i) => i.householdId))}::bigint[])
				and d.kind = 'door' and d.retired_at is null and latest.type = 'door_closed'`;
		for (const door of doors) doorClosed.add(Number(door.householdId));
	}
	const changed = incidents.flatMap((incident) => {
		const assessed = assessConfidence(incident.kinds, doorClosed.has(incident.householdId));
		if (assessed.confidence === incident.confidence) return [];
		incident.confidence = assessed.confidence;
		return [{ incident, evidence: assessed.evidence }];
	});
	if (changed.length > 0)
		await tx`
			update incidents i set confidence = u.confidence
			from unnest(${tx.array(changed.map((c) => c.incident.id))}::bigint[],
				${tx.array(changed.map((c) => c.incident.confidence))}::text[]) as u(id, confidence)
			where i.id = u.id`;
	return changed;
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
		lastAlertAt: new Date(row.lastAlertAt).toISOString(),
		acknowledgedAt: row.acknowledgedAt ? new Date(row.acknowledgedAt).toISOString() : null,
		escalationLevel: row.escalationLevel,
		sla: row.slaKind ? { kind: row.slaKind, dueAt: new Date(row.slaDueAt).toISOString() } : null,
		responder: row.responder
			? { id: Number(row.responder.id), name: row.responder.name, assignment: row.responder.assignment }
			: null,
		confidence: row.confidence,
		criticalSince: row.criticalSince ? new Date(row.criticalSince).toISOString() : null
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

export type IncidentRefusalCode = 'NOT_FOUND' | 'INVALID_TRANSITION' | 'CONFLICT' | 'UNAVAILABLE';

/**
 * An action on an incident that cannot be carried out: `code` is stable, `message` is for people
 * (and logs), `detail` says why as data, for a console to word in its own language.
 */
export class IncidentActionError extends Error {
	constructor(
		readonly code: IncidentRefusalCode,
		message: string,
		readonly detail?: RefusalDetail
	) {
		super(message);
	}

	/** The refusal as a console's command answer. */
	toResult(): CommandResult<never> {
		return { ok: false, code: this.code, message: this.message, ...(this.detail && { detail: this.detail }) };
	}
}

/** The stable code of each refusal the state machine decides. */
const CODE_OF_REFUSAL = {
	invalid_transition: 'INVALID_TRANSITION',
	needs_outcome: 'INVALID_TRANSITION',
	top_rung: 'INVALID_TRANSITION',
	no_accepted_responder: 'CONFLICT'
} as const satisfies Record<StateRefusal['kind'], IncidentRefusalCode>;

export interface IncidentChangeResult {
	incident: IncidentSummary;
	/** Responders whose status changed with it (freed when the incident closed). */
	responders: ResponderSummary[];
}

/**
 * Moves an incident through its life cycle inside the caller's transaction: the row is locked, the
 * state machine decides, the change, its SLA timer and its timeline entry are written together. Two
 * dispatchers acting at once are serialised by the lock, so the second sees the first's result and
 * gets a clear refusal. Closing frees the responder working it.
 */
export async function transitionIncident(
	tx: Sql,
	command: {
		incidentId: number;
		action: IncidentAction;
		actor: string;
		outcome?: string | null;
		note?: string | null;
		detail?: Record<string, unknown>;
	}
): Promise<IncidentChangeResult> {
	const [current]: {
		state: IncidentState;
		escalationLevel: number;
		topTier: number;
		responderOnIt: boolean;
		responderAccepted: boolean;
	}[] = await tx`
		select i.state, i.escalation_level, t.top_tier,
			exists (select 1 from incident_assignments a
				where a.incident_id = i.id and a.state in ('offered', 'accepted')) as responder_on_it,
			exists (select 1 from incident_assignments a
				where a.incident_id = i.id and a.state = 'accepted') as responder_accepted
		from incidents i join sla_targets t on t.severity = i.severity
		where i.id = ${command.incidentId} for update of i`;
	if (!current) throw new IncidentActionError('NOT_FOUND', `incident ${command.incidentId} does not exist`);
	if (command.action === 'acknowledge' && ANSWERED_STATES.includes(current.state))
		throw await alreadyAcknowledged(tx, command.incidentId);
	const transition = nextState(current.state, command.action, { ...current, outcome: command.outcome });
	if (!transition.ok) {
		throw new IncidentActionError(
			CODE_OF_REFUSAL[transition.detail.kind],
			transition.reason,
			transition.detail
		);
	}
	const closing = CLOSED_STATES.includes(transition.to);
	// Any of these is a person answering the alert (the answer-time KPI counts to the first).
	const answered = ['acknowledge', 'assign', 'resolve', 'mark_false_alarm'].includes(command.action);
	// On its severity's top rung no timer runs: nobody is left above to escalate to.
	const topReached = command.action === 'escalate' && current.escalationLevel + 1 >= current.topTier;
	const stopsClock = closing || transition.to === 'on_scene' || topReached;
	// Counted from when the incident last became this urgent: opened, turned critical, or reopened.
	const onSceneDue = tx`(case when escalation_level = 0 then greatest(opened_at, critical_since, reopened_at)
			else now() end)
		+ make_interval(secs => (select on_scene_s from sla_targets t where t.severity = incidents.severity))`;
	const ackDueNow = tx`now() + make_interval(secs => (select ack_s from sla_targets t where t.severity = incidents.severity))`;
	await tx`
		update incidents set state = ${transition.to}, updated_at = now(),
			closed_at = ${closing ? tx`now()` : null},
			outcome = ${closing ? (command.outcome ?? transition.to) : null},
			acknowledged_at = ${answered ? tx`coalesce(acknowledged_at, now())` : tx`acknowledged_at`},
			escalation_level = ${command.action === 'escalate' ? tx`escalation_level + 1` : tx`escalation_level`},
			-- The clock: answering starts the on-scene timer, escalating restarts the acknowledge timer,
			-- arriving or closing stops it.
			sla_kind = ${
				stopsClock
					? null
					: command.action === 'escalate'
						? transition.to === current.state
							? tx`sla_kind`
							: 'ack'
						: answered
							? tx`case when sla_kind = 'ack' then 'on_scene' else sla_kind end`
							: tx`sla_kind`
			},
			sla_due_at = ${
				stopsClock
					? null
					: command.action === 'escalate'
						? ackDueNow
						: answered
							? tx`case when sla_kind = 'ack' then ${onSceneDue} else sla_due_at end`
							: tx`sla_due_at`
			}
		where id = ${command.incidentId}`;
	// Released first, so that the incident as pushed no longer names the responder it freed.
	const responders = closing ? await releaseResponders(tx, command.incidentId) : [];
	const incident = await incidentSummary(tx, command.incidentId);
	const called = command.action === 'escalate' ? { called: (await unitsCalled(tx, [incident]))[0] } : {};
	await tx`
		insert into incident_events (incident_id, actor, action, from_state, to_state, detail)
		values (${command.incidentId}, ${command.actor}, ${command.action}, ${current.state}, ${transition.to},
			${tx.json({ outcome: command.outcome ?? null, note: command.note ?? null, ...command.detail, ...called } as never)})`;
	return { incident, responders };
}

/** Why a second acknowledge is refused: who answered the incident, and when (Asia/Shanghai in the message). */
async function alreadyAcknowledged(tx: Sql, incidentId: number): Promise<IncidentActionError> {
	// The incident's own answer time stands in when no answer is on the timeline (a row set by hand).
	const [answer] = await tx<{ actor: string | null; at: Date; clock: string }[]>`
		select e.actor, coalesce(e.at, i.acknowledged_at, i.updated_at) as at,
			to_char(coalesce(e.at, i.acknowledged_at, i.updated_at) at time zone 'Asia/Shanghai', 'HH24:MI:SS') as clock
		from incidents i
		left join lateral (select actor, at from incident_events
			where incident_id = i.id and action in ('acknowledge', 'assign') order by id desc limit 1) e on true
		where i.id = ${incidentId}`;
	const by = answer.actor ?? 'someone';
	return new IncidentActionError('CONFLICT', `already acknowledged by ${by} at ${answer.clock}`, {
		kind: 'already_acknowledged',
		by,
		at: new Date(answer.at).toISOString()
	});
}

/** Ends the incident's live assignment and makes its responder available again. */
async function releaseResponders(tx: Sql, incidentId: number): Promise<ResponderSummary[]> {
	const rows = await tx`
		with released as (
			update incident_assignments set state = 'completed', answered_at = coalesce(answered_at, now())
			where incident_id = ${incidentId} and state in ('offered', 'accepted')
			returning responder_id
		)
		update responders set status = 'available', updated_at = now()
		where id in (select responder_id from released) and status = 'busy'
		returning ${tx.unsafe(RESPONDER_COLUMNS)}`;
	return rows.map((row) => toResponder(row));
}

export async function incidentSummary(sql: Sql, incidentId: number): Promise<IncidentSummary> {
	const [row] = await sql`select ${sql.unsafe(SUMMARY_COLUMNS)} from incidents where id = ${incidentId}`;
	return toSummary(row);
}

/** One dispatcher action in its own transaction; see transitionIncident. */
export async function actOnIncident(
	sql: Sql,
	command: Parameters<typeof transitionIncident>[1]
): Promise<IncidentChangeResult> {
	return sql.begin((tx) => transitionIncident(tx as unknown as Sql, command));
}
