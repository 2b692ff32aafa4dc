/**
 * Joint inspection campaigns (联检): a campaign covers one boundary line; each marker on it gets
 * one inspection record (recording again replaces it), with the measured position's distance from
 * the recorded one and whether that is beyond the campaign's tolerance. The marker's condition
 * follows its latest inspection; its recorded position never does (nobody may move a marker).
 */
import {
	campaignProgress,
	type CampaignProgress,
	type InspectionResult
} from '../../boundaries/campaign-progress';
import { markerDisplacement } from '../../boundaries/displacement';
import type { BoundaryMarker } from '../../boundaries/marker';
import { recordAudit } from '../audit/audit-log';
import type { Sql } from '../db/client';
import { BoundaryError } from './boundary-error';
import { findLine, type BoundaryLineProperties } from './lines';
import { listMarkers } from './markers';

export interface Campaign {
	id: number;
	lineId: number;
	name: string;
	toleranceM: number;
	startedOn: string;
	status: 'open' | 'closed';
	createdBy: string;
	createdAt: Date;
}

export interface Inspection {
	markerId: number;
	result: InspectionResult;
	measured: [number, number] | null;
	displacementM: number | null;
	beyondTolerance: boolean;
	notes: string | null;
	inspector: string;
	inspectedAt: Date;
}

export interface CampaignDetail {
	campaign: Campaign;
	line: BoundaryLineProperties;
	markers: (BoundaryMarker & { inspection: Inspection | null })[];
	progress: CampaignProgress;
}

type CampaignRow = Omit<Campaign, 'id' | 'lineId' | 'startedOn'> & {
	id: string;
	lineId: string;
	startedOn: string;
};

const toCampaign = (row: CampaignRow): Campaign => ({
	...row,
	id: Number(row.id),
	lineId: Number(row.lineId)
});

export async function createCampaign(
	sql: Sql,
	input: { districtCode: string; lineId: number; name: string; toleranceM: number; actor: string }
): Promise<Campaign> {
	const line = await findLine(sql, input.districtCode, input.lineId);
	if (!line)
		throw new BoundaryError('NOT_FOUND', `line ${input.lineId} is not in district ${input.districtCode}`);
	return sql.begin(async (tx) => {
		const [row]: CampaignRow[] = await tx`
			insert into inspection_campaigns (district_code, line_id, name, tolerance_m, created_by)
			values (${input.districtCode}, ${input.lineId}, ${input.name}, ${input.toleranceM}, ${input.actor})
			returning id, line_id, name, tolerance_m, started_on::text, status, created_by, created_at`;
		await recordAudit(tx as unknown as Sql, {
			actor: input.actor,
			action: 'campaign.create',
			subjectType: 'inspection_campaign',
			subjectId: row.id,
			districtCode: input.districtCode,
			detail: { lineId: input.lineId, name: input.name, toleranceM: input.toleranceM }
		});
		return toCampaign(row);
	}) as Promise<Campaign>;
}

export async function listCampaigns(
	sql: Sql,
	districtCode: string
): Promise<(Campaign & { lineName: string; progress: CampaignProgress })[]> {
	const rows = await sql<(CampaignRow & { lineName: string })[]>`
		select c.id, c.line_id, c.name, c.tolerance_m, c.started_on::text, c.status, c.created_by, c.created_at,
			l.name as line_name
		from inspection_campaigns c join boundary_lines l on l.id = c.line_id
		where c.district_code = ${districtCode} order by c.id desc`;
	return Promise.all(
		rows.map(async (row) => {
			const detail = await campaignDetail(sql, districtCode, Number(row.id));
			return { ...toCampaign(row), lineName: row.lineName, progress: detail!.progress };
		})
	);
}

export async function campaignDetail(
	sql: Sql,
	districtCode: string,
	id: number
): Promise<CampaignDetail | null> {
	const [row]: CampaignRow[] = await sql`
		select id, line_id, name, tolerance_m, started_on::text, status, created_by, created_at
		from inspection_campaigns where id = ${id} and district_code = ${districtCode}`;
	if (!row) return null;
	const campaign = toCampaign(row);
	const line = await findLine(sql, districtCode, campaign.lineId);
	const markers = await listMarkers(sql, districtCode, { lineId: campaign.lineId });
	const inspections = await sql<
		(Omit<Inspection, 'markerId' | 'measured'> & {
			markerId: string;
			lon: number | null;
			lat: number | null;
		})[]
	>`
		select marker_id, result, st_x(measured_geom) as lon, st_y(measured_geom) as lat, displacement_m,
			beyond_tolerance, notes, inspector, inspected_at
		from marker_inspections where campaign_id = ${id}`;
	const byMarker = new Map(
		inspections.map(({ lon, lat, ...inspection }): [number, Inspection] => [
			Number(inspection.markerId),
			{
				...inspection,
				markerId: Number(inspection.markerId),
				measured: lon === null || lat === null ? null : [lon, lat]
			}
		])
	);
	return {
		campaign,
		line: line!,
		markers: markers.map((marker) => ({ ...marker, inspection: byMarker.get(marker.id) ?? null })),
		progress: campaignProgress(
			markers.map((marker) => marker.id),
			[...byMarker.values()]
		)
	};
}

/**
 * Records (or replaces) a marker's inspection in a campaign. A missing marker has no measured
 * position; a moved one must have one; the others may.
 */
export async function recordInspection(
	sql: Sql,
	input: {
		districtCode: string;
		campaignId: number;
		markerId: number;
		result: InspectionResult;
		measured: [number, number] | null;
		notes: string | null;
		inspector: string;
		actor: string;
	}
): Promise<Inspection> {
	const detail = await campaignDetail(sql, input.districtCode, input.campaignId);
	if (!detail)
		throw new BoundaryError(
			'NOT_FOUND',
			`campaign ${input.campaignId} is not in district ${input.districtCode}`
		);
	if (detail.campaign.status !== 'open')
		throw new BoundaryError('CONFLICT', `campaign ${input.campaignId} is closed`);
	const marker = detail.markers.find((m) => m.id === input.markerId);
	if (!marker) throw new BoundaryError('INVALID', `marker ${input.markerId} is not on the campaign's line`);
	if (input.result === 'missing' && input.measured)
		throw new BoundaryError('INVALID', 'a missing marker has no measured position');
	if (input.result === 'moved' && !input.measured)
		throw new BoundaryError('INVALID', 'a moved marker needs its measured position');
	const displacement = input.measured
		? markerDisplacement(marker.position, input.measured, detail.campaign.toleranceM)
		: null;
	const point = input.measured;
	return sql.begin(async (tx) => {
		const [row]: { inspectedAt: Date }[] = await tx`
			insert into marker_inspections (campaign_id, marker_id, result, measured_geom, displacement_m,
				beyond_tolerance, notes, inspector)
			values (${input.campaignId}, ${input.markerId}, ${input.result},
				case when ${point?.[0] ?? null}::float8 is null then null
					else st_setsrid(st_makepoint(${point?.[0] ?? null}, ${point?.[1] ?? null}), 4326) end,
				${displacement?.meters ?? null}, ${displacement?.beyondTolerance ?? false}, ${input.notes}, ${input.inspector})
			on conflict (campaign_id, marker_id) do update set
				result = excluded.result, measured_geom = excluded.measured_geom,
				displacement_m = excluded.displacement_m, beyond_tolerance = excluded.beyond_tolerance,
				notes = excluded.notes, inspector = excluded.inspector, inspected_at = now()
			returning inspected_at`;
		await tx`update boundary_markers set condition = ${input.result}, updated_at = now() where id = ${input.markerId}`;
		await recordAudit(tx as unknown as Sql, {
			actor: input.actor,
			action: 'campaign.inspect',
			subjectType: 'boundary_marker',
			subjectId: input.markerId,
			districtCode: input.districtCode,
			detail: {
				campaignId: input.campaignId,
				result: input.result,
				displacementM: displacement?.meters ?? null,
				beyondTolerance: displacement?.beyondTolerance ?? false
			}
		});
		return {
			markerId: input.markerId,
			result: input.result,
			measured: input.measured,
			displacementM: displacement?.meters ?? null,
			beyondTolerance: displacement?.beyondTolerance ?? false,
			notes: input.notes,
			inspector: input.inspector,
			inspectedAt: row.inspectedAt
		};
	}) as Promise<Inspection>;
}

/** Closes a campaign: its records stay, and no marker can be recorded in it any more. */
export async function closeCampaign(
	sql: Sql,
	districtCode: string,
	id: number,
	actor: string
): Promise<void> {
	await sql.begin(async (tx) => {
		const [row]: { id: string }[] = await tx`
			update inspection_campaigns set status = 'closed'
			where id = ${id} and district_code = ${districtCode} and status = 'open' returning id`;
		if (!row)
			throw new BoundaryError(
				'CONFLICT',
				`campaign ${id} is not an open campaign of district ${districtCode}`
			);
		await recordAudit(tx as unknown as Sql, {
			actor,
			action: 'campaign.close',
			subjectType: 'inspection_campaign',
			subjectId: id,
			districtCode
		});
	});
}
