import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { resolve } from '$app/paths';
import { requestActor } from '$lib/server/audit/actor';
import { getServices } from '$lib/server/context';
import {
	addDevice,
	editDevice,
	listDevices,
	retireDevice,
	rotateCredential
} from '$lib/server/devices/device-admin';
import { HEARTBEAT_S, RISK_LEVELS } from '$lib/server/devices/fields';
import {
	HOUSEHOLD_REFUSALS,
	householdFormValues,
	readDeviceForm,
	readHouseholdForm
} from '$lib/server/devices/forms';
import {
	deleteHousehold,
	householdExists,
	readHousehold,
	updateHousehold
} from '$lib/server/devices/households';
import { DEVICE_KINDS } from '$lib/mqtt/contract';
import type { Actions, PageServerLoad } from './$types';

function householdIdOf(event: Pick<RequestEvent, 'params'>): number {
	const id = Number(event.params.id);
	if (!Number.isSafeInteger(id)) error(404, 'Not found');
	return id;
}

/** The household an action is for, when the district has it; otherwise there is nothing to act on. */
async function householdOf(event: Pick<RequestEvent, 'params'>): Promise<number> {
	const { database, config } = getServices();
	const id = householdIdOf(event);
	if (!(await householdExists(database.sql, id, config.districtCode))) error(404, 'Not found');
	return id;
}

export const load: PageServerLoad = async (event) => {
	const { database, config } = getServices();
	const id = householdIdOf(event);
	const household = await readHousehold(database.sql, id, config.districtCode, requestActor(event));
	if (!household) error(404, 'Not found');
	const devices = await listDevices(database.sql, { districtCode: config.districtCode, householdId: id });
	return {
		household,
		values: householdFormValues(household),
		devices: devices.items,
		riskLevels: RISK_LEVELS,
		deviceKinds: DEVICE_KINDS,
		defaultHeartbeatS: HEARTBEAT_S.default
	};
};

export const actions: Actions = {
	update: async (event) => {
		const { database, config } = getServices();
		const id = await householdOf(event);
		const reading = readHouseholdForm(await event.request.formData(), false);
		if (reading.errors)
			return fail(400, { action: 'update' as const, values: reading.values, errors: reading.errors });
		const saved = await updateHousehold(
			database.sql,
			id,
			config.districtCode,
			reading.data,
			requestActor(event)
		);
		if (!saved) error(404, 'Not found');
		if ('refused' in saved) {
			return fail(400, {
				action: 'update' as const,
				values: reading.values,
				errors: HOUSEHOLD_REFUSALS[saved.refused]
			});
		}
		return { action: 'update' as const, saved: true };
	},

	delete: async (event) => {
		const { database, config } = getServices();
		const id = await householdOf(event);
		const outcome = await deleteHousehold(database.sql, id, config.districtCode, requestActor(event));
		if (outcome === 'not_found') error(404, 'Not found');
		if (outcome === 'has_history') return fail(409, { action: 'delete' as const, refused: true });
		redirect(303, `${resolve('/admin/households')}?deleted=${id}`);
	},

	registerDevice: async (event) => {
		const { database } = getServices();
		const id = await householdOf(event);
		const reading = readDeviceForm(await event.request.formData(), true);
		if (reading.errors) {
			return fail(400, { action: 'registerDevice' as const, values: reading.values, errors: reading.errors });
		}
		const registered = await addDevice(database.sql, id, reading.data, requestActor(event));
		if ('refused' in registered) {
			return fail(400, {
				action: 'registerDevice' as const,
				values: reading.values,
				errors: { id: 'devices.error.idTaken' as const }
			});
		}
		return { action: 'registerDevice' as const, credential: registered };
	},

	editDevice: async (event) => {
		const { database } = getServices();
		const id = await householdOf(event);
		const reading = readDeviceForm(await event.request.formData(), false);
		if (reading.errors) {
			return fail(400, { action: 'editDevice' as const, values: reading.values, errors: reading.errors });
		}
		const { id: deviceId, ...settings } = reading.data;
		if (!(await editDevice(database.sql, id, deviceId, settings, requestActor(event))))
			error(404, 'Not found');
		return { action: 'editDevice' as const, deviceId, saved: true };
	},

	retireDevice: async (event) => {
		const { database } = getServices();
		const id = await householdOf(event);
		const deviceId = String((await event.request.formData()).get('id') ?? '');
		if (!(await retireDevice(database.sql, id, deviceId, requestActor(event)))) error(404, 'Not found');
		return { action: 'retireDevice' as const, deviceId };
	},

	rotateCredential: async (event) => {
		const { database } = getServices();
		const id = await householdOf(event);
		const deviceId = String((await event.request.formData()).get('id') ?? '');
		const credential = await rotateCredential(database.sql, id, deviceId, requestActor(event));
		if (!credential) error(404, 'Not found');
		return { action: 'rotateCredential' as const, credential };
	}
};
