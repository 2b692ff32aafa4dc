/**
 * A joint inspection campaign's progress: of the markers on its line, how many have an inspection
 * record, with what result, and how many stand beyond the tolerance. Pure; the campaign page and its
 * printable report count with it.
 */

export const INSPECTION_RESULTS = ['intact', 'damaged', 'moved', 'missing'] as const;
export type InspectionResult = (typeof INSPECTION_RESULTS)[number];

export interface InspectionSummary {
	markerId: number;
	result: InspectionResult;
	beyondTolerance: boolean;
}

export interface CampaignProgress {
	markers: number;
	inspected: number;
	remaining: number;
	byResult: Record<InspectionResult, number>;
	/** Markers measured farther from their recorded position than the tolerance. */
	flagged: number;
	/** Inspected share, 0–1 (1 for a line with no markers). */
	share: number;
}

/**
 * @param markerIds the markers on the campaign's line
 * @param inspections the campaign's inspection records (records of other markers are ignored)
 * @example campaignProgress([1, 2], [{ markerId: 1, result: 'moved', beyondTolerance: true }]).remaining === 1
 */
export function campaignProgress(markerIds: number[], inspections: InspectionSummary[]): CampaignProgress {
	const onLine = new Set(markerIds);
	const byResult: Record<InspectionResult, number> = { intact: 0, damaged: 0, moved: 0, missing: 0 };
	const seen = new Set<number>();
	let flagged = 0;
	for (const inspection of inspections) {
		if (!onLine.has(inspection.markerId) || seen.has(inspection.markerId)) continue;
		seen.add(inspection.markerId);
		byResult[inspection.result]++;
		if (inspection.beyondTolerance) flagged++;
	}
	const markers = onLine.size;
	return {
		markers,
		inspected: seen.size,
		remaining: markers - seen.size,
		byResult,
		flagged,
		share: markers === 0 ? 1 : seen.size / markers
	};
}
