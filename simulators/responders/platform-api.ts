/**
 * The platform's HTTP interface as the responders' phones use it: registration, duty, positions,
 * answers and progress on incidents, and the district's street network and regions to find the way.
 */
import type { RegionFeature, WalkNetworkCollection } from '../../src/lib/geo/features';
import type { IncidentSummary, ResponderRole, ResponderSummary } from '../../src/lib/realtime/events';
import { platformFetch } from '../platform-session';

/** A refusal from the platform: the HTTP status and the reason it gave. */
export class PlatformError extends Error {
	constructor(
		readonly status: number,
		message: string
	) {
		super(message);
	}
}

export interface Registration {
	externalId: string;
	name: string;
	role: ResponderRole;
	communityCode?: string | null;
	streetCode?: string | null;
	skills?: string[];
	location?: [number, number] | null;
	shiftStart?: string;
	shiftEnd?: string;
}

export type IncidentStep =
	| { action: 'accept' | 'decline' | 'depart' | 'arrive'; note?: string }
	| { action: 'resolve'; outcome: string; note?: string };

export class PlatformApi {
	constructor(
		readonly baseUrl: string,
		readonly districtCode: string
	) {}

	register(registration: Registration): Promise<ResponderSummary> {
		return this.request('POST', `/api/districts/${this.districtCode}/responders`, registration);
	}

	duty(responderId: number, status: 'available' | 'off'): Promise<ResponderSummary> {
		return this.request('POST', `/api/responders/${responderId}/duty`, { status });
	}

	position(responderId: number, [lon, lat]: [number, number]): Promise<ResponderSummary> {
		return this.request('POST', `/api/responders/${responderId}/position`, { lon, lat });
	}

	step(responderId: number, incidentId: number, step: IncidentStep): Promise<IncidentSummary> {
		return this.request('POST', `/api/responders/${responderId}/incidents/${incidentId}`, step);
	}

	openIncidents(): Promise<IncidentSummary[]> {
		return this.request('GET', `/api/districts/${this.districtCode}/incidents`);
	}

	walkNetwork(): Promise<WalkNetworkCollection> {
		return this.request('GET', `/api/districts/${this.districtCode}/walk-network`);
	}

	/** The district, its streets and communities. */
	async regions(): Promise<RegionFeature[]> {
		const regions = await this.request<{ features: RegionFeature[] }>(
			'GET',
			`/api/districts/${this.districtCode}/regions`
		);
		return regions.features;
	}

	private async request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
		const response = await platformFetch(new URL(path, this.baseUrl), {
			method,
			headers: body === undefined ? {} : { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body)
		});
		if (!response.ok) {
			const text = await response.text();
			let message = text;
			try {
				message = (JSON.parse(text) as { message?: string }).message ?? text;
			} catch {
				// Not JSON: keep the text.
			}
			throw new PlatformError(response.status, `${method} ${path}: ${response.status} ${message}`);
		}
		return (await response.json()) as T;
	}
}
