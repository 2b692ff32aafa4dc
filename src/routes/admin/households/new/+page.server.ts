import { fail, redirect } from '@sveltejs/kit';
import { resolve } from '$app/paths';
import { requestActor } from '$lib/server/audit/actor';
import { getServices } from '$lib/server/context';
import { RISK_LEVELS } from '$lib/server/devices/fields';
import { HOUSEHOLD_REFUSALS, NEW_HOUSEHOLD_VALUES, readHouseholdForm } from '$lib/server/devices/forms';
import { createHousehold } from '$lib/server/devices/households';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => ({ riskLevels: RISK_LEVELS, values: NEW_HOUSEHOLD_VALUES });

export const actions: Actions = {
	default: async (event) => {
		const { database, config } = getServices();
		const reading = readHouseholdForm(await event.request.formData(), true);
		if (reading.errors) return fail(400, { values: reading.values, errors: reading.errors });
		const created = await createHousehold(
			database.sql,
			{ ...reading.data, districtCode: config.districtCode },
			requestActor(event)
		);
		if ('refused' in created) {
			return fail(400, { values: reading.values, errors: HOUSEHOLD_REFUSALS[created.refused] });
		}
		redirect(303, resolve('/admin/households/[id]', { id: String(created.id) }));
	}
};
