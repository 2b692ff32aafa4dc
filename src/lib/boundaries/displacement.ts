/**
 * How far an inspected boundary marker stands from its recorded position, and whether that is more
 * than the campaign's tolerance. Great-circle distance (haversine), which at a few metres differs from
 * a survey's plane distance by far less than any field measurement.
 */
import { haversineMeters } from '../routing/walk-graph';

export interface Displacement {
	meters: number;
	beyondTolerance: boolean;
}

/**
 * @param recorded the marker's recorded [lon, lat]
 * @param measured the [lon, lat] measured in the field
 * @param toleranceM the distance allowed before the marker is flagged (exactly the tolerance is within)
 * @example markerDisplacement([118.08, 24.45], [118.08, 24.45001], 1) → { meters: 1.112, beyondTolerance: true }
 */
export function markerDisplacement(
	recorded: [number, number],
	measured: [number, number],
	toleranceM: number
): Displacement {
	if (!(toleranceM > 0)) throw new Error('toleranceM must be a positive number of metres');
	const meters = haversineMeters(recorded, measured);
	return { meters, beyondTolerance: meters > toleranceM };
}
