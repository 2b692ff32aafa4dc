import { getServices } from '$lib/server/context';
import { DEVICE_STATES, listDevices, type DeviceState } from '$lib/server/devices/device-admin';
import { LOW_BATTERY_PERCENT } from '$lib/server/devices/fields';
import { pageNumber } from '$lib/server/devices/paging';
import { DEVICE_KINDS, type DeviceKind } from '$lib/mqtt/contract';
import type { PageServerLoad } from './$types';

const oneOf = <T extends string>(allowed: readonly T[], raw: string | null): T | undefined =>
	(allowed as readonly (string | null)[]).includes(raw) ? (raw as T) : undefined;

export const load: PageServerLoad = async ({ url }) => {
	const { database, config } = getServices();
	const filter = {
		kind: oneOf<DeviceKind>(DEVICE_KINDS, url.searchParams.get('kind')),
		state: oneOf<DeviceState>(DEVICE_STATES, url.searchParams.get('state')),
		lowBattery: url.searchParams.get('lowBattery') === 'on',
		household: url.searchParams.get('household')?.trim() || undefined
	};
	const devices = await listDevices(database.sql, {
		districtCode: config.districtCode,
		...filter,
		page: pageNumber(url.searchParams.get('page'))
	});
	return {
		filter,
		...devices,
		deviceKinds: DEVICE_KINDS,
		deviceStates: DEVICE_STATES,
		lowBatteryPercent: LOW_BATTERY_PERCENT
	};
};
