import type { ResponderSummary } from '../../src/lib/realtime/events';

/** An available, on-shift grid worker of Siming at `location`, changed by `overrides`: for pure tests. */
export function responderSummary(
	id: number,
	location: [number, number],
	overrides: Partial<ResponderSummary> = {}
): ResponderSummary {
	return {
		id,
		districtCode: '350203',
		name: `R${id}`,
		role: 'grid_worker',
		communityCode: null,
		streetCode: null,
		skills: [],
		status: 'available',
		onShift: true,
		location,
		positionAt: null,
		...overrides
	};
}
