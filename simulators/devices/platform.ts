/**
 * The platform as the device fleet sees it: its public HTTP API only (README, "Simulators").
 */
import type { WalkNetworkCollection } from '../../src/lib/geo/features';
import type { HouseholdPlan, PopulationCell } from './plan';
import { platformFetch } from '../platform-session';

/** A refusal from the platform, with its HTTP status and the reason it gave. */
export class PlatformError extends Error {
	constructor(
		readonly status: number,
		message: string
	) {
		super(message);
	}
}

export interface PlatformHealth {
	status: string;
	broker: { kind: string; connected: boolean; url?: string };
}

export interface DeviceLogin {
	id: string;
	secret: string;
}

export class PlatformClient {
	readonly baseUrl: string;
	readonly districtCode: string;

	constructor(baseUrl: string, districtCode: string) {
		this.baseUrl = baseUrl.replace(/\/+$/, '');
		this.districtCode = districtCode;
	}

	async #call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
		const response = await platformFetch(`${this.baseUrl}${path}`, {
			method,
			headers: body === undefined ? {} : { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body)
		});
		const text = await response.text();
		if (!response.ok) {
			let reason = text;
			try {
				reason = (JSON.parse(text) as { message?: string }).message ?? text;
			} catch {
				// Not JSON: the text as it came.
			}
			throw new PlatformError(response.status, `${method} ${path}: ${response.status} ${reason}`);
		}
		return JSON.parse(text) as T;
	}

	health(): Promise<PlatformHealth> {
		return this.#call('GET', '/api/health');
	}

	async populationCells(): Promise<PopulationCell[]> {
		const collection = await this.#call<{ features: PopulationCell[] }>(
			'GET',
			`/api/districts/${this.districtCode}/population-cells`
		);
		return collection.features;
	}

	/** The district's walking network, which GPS watches walk (empty when the platform has none). */
	walkNetwork(): Promise<WalkNetworkCollection> {
		return this.#call('GET', `/api/districts/${this.districtCode}/walk-network`);
	}

	/**
	 * Registers the household; one already registered by this id (a run with the same seed) is
	 * taken as it is. A location the platform finds outside the district is moved to its cell's centre.
	 */
	async ensureHousehold(household: HouseholdPlan): Promise<void> {
		const body = {
			externalId: household.externalId,
			residentName: household.residentName,
			phone: household.phone,
			address: household.address,
			location: household.location,
			riskLevel: household.riskLevel,
			emergencyContacts: household.emergencyContacts,
			consent: true
		};
		const path = `/api/districts/${this.districtCode}/households`;
		try {
			await this.#call('POST', path, body);
		} catch (error) {
			if (error instanceof PlatformError && error.status === 409) return;
			if (!(error instanceof PlatformError && error.status === 400 && /location/.test(error.message)))
				throw error;
			await this.#call('POST', path, { ...body, location: household.cellCentre });
		}
	}

	/** Registers the device and returns its login; a device registered before gets a new password. */
	async ensureDevice(
		householdExternalId: string,
		device: HouseholdPlan['devices'][number]
	): Promise<DeviceLogin> {
		try {
			return await this.#call<DeviceLogin>('POST', `/api/districts/${this.districtCode}/devices`, {
				id: device.id,
				householdExternalId,
				kind: device.kind,
				heartbeatS: device.heartbeatS,
				firmware: device.firmware
			});
		} catch (error) {
			if (!(error instanceof PlatformError && error.status === 409)) throw error;
			return this.#call<DeviceLogin>(
				'POST',
				`/api/districts/${this.districtCode}/devices/${encodeURIComponent(device.id)}/credential`
			);
		}
	}
}
