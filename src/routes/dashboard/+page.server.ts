import { fail, redirect } from '@sveltejs/kit';
import { translate } from '$lib/i18n/messages';
import { requestActor } from '$lib/server/audit/actor';
import { getServices } from '$lib/server/context';
import { addIndicatorEntry } from '$lib/server/plan-monitoring/indicators';
import { planOverview } from '$lib/server/plan-monitoring/overview';
import { PlanMonitoringError } from '$lib/server/plan-monitoring/plan-error';
import { advanceProject, projectScenario } from '$lib/server/plan-monitoring/projects';
import { asOfFromUrl } from '$lib/server/plan-monitoring/requests';
import type { Actions, PageServerLoad } from './$types';
import { formText } from '$lib/server/http/form-fields';

/** The plan on one page: every indicator and project as it stood on `?date=` (today by default). */
export const load: PageServerLoad = async ({ url }) => {
	const { database, config } = getServices();
	return planOverview(database.sql, config.districtCode, asOfFromUrl(url));
};

/** A refusal the person can fix goes back to the form that caused it, with the reason. */
function refused(failure: unknown, form: Record<string, string>) {
	if (failure instanceof PlanMonitoringError)
		return fail(failure.status, { ...form, message: `${failure.code}: ${failure.message}` });
	throw failure;
}

export const actions: Actions = {
	/** A figure for an entered indicator, with its source and date. */
	entry: async (event) => {
		const form = await event.request.formData();
		const key = formText(form, 'key');
		const { database, config } = getServices();
		try {
			await addIndicatorEntry(database.sql, {
				districtCode: config.districtCode,
				key,
				entry: {
					value: formText(form, 'value'),
					asOf: formText(form, 'asOf'),
					source: formText(form, 'source'),
					note: formText(form, 'note')
				},
				actor: requestActor(event)
			});
		} catch (failure) {
			return refused(failure, { form: 'entry', key });
		}
		return { form: 'entry', key, saved: true };
	},
	/** A project's next stage, on a date. */
	stage: async (event) => {
		const form = await event.request.formData();
		const project = formText(form, 'project');
		const { database, config } = getServices();
		try {
			await advanceProject(database.sql, {
				districtCode: config.districtCode,
				projectId: Number(project),
				stage: formText(form, 'stage'),
				reachedOn: formText(form, 'reachedOn'),
				note: formText(form, 'note'),
				actor: requestActor(event)
			});
		} catch (failure) {
			return refused(failure, { form: 'stage', key: project });
		}
		return { form: 'stage', key: project, saved: true };
	},
	/** "What if this project opens": saved as a scenario and shown on the planning page. */
	scenario: async (event) => {
		const form = await event.request.formData();
		const project = formText(form, 'project');
		const { database, config } = getServices();
		let id: number;
		try {
			const scenario = await projectScenario(database.sql, config.districtCode, Number(project), (name) =>
				translate(event.locals.locale, 'dashboard.project.scenarioName', { name })
			);
			id = scenario.id;
		} catch (failure) {
			return refused(failure, { form: 'scenario', key: project });
		}
		redirect(303, `/planning?scenario=${id}`);
	}
};
