import { fail } from '@sveltejs/kit';
import { ZodError } from 'zod';
import { recordAudit } from '$lib/server/audit/audit-log';
import { requestActor } from '$lib/server/audit/actor';
import { AccountError, createAccount, listAccounts, setAccountDisabled } from '$lib/server/auth/accounts';
import { ROLES } from '$lib/server/auth/roles';
import { getServices } from '$lib/server/context';
import { regionsOfDistrict } from '$lib/server/regions/queries';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	const { database, config } = getServices();
	const regions = await regionsOfDistrict(database.sql, config.districtCode);
	return {
		roles: ROLES,
		accounts: await listAccounts(database.sql),
		streets: regions.features
			.filter((f) => f.properties.level === 'street')
			.map((f) => ({ code: f.properties.code, name: f.properties.name }))
	};
};

export const actions: Actions = {
	create: async (event) => {
		const form = await event.request.formData();
		const { database } = getServices();
		try {
			const account = await createAccount(database.sql, {
				username: String(form.get('username') ?? ''),
				displayName: String(form.get('displayName') ?? ''),
				password: String(form.get('password') ?? ''),
				role: String(form.get('role') ?? '') as never,
				streetCodes: form.getAll('streetCodes').map(String)
			});
			await recordAudit(database.sql, {
				actor: requestActor(event),
				action: 'user.create',
				subjectType: 'user',
				subjectId: account.username,
				detail: { after: { role: account.role, streetCodes: account.streetCodes } }
			});
			return { created: account.username };
		} catch (failure) {
			if (failure instanceof ZodError) {
				const issue = failure.issues[0];
				return fail(400, { message: `${issue.path.join('.')}: ${issue.message}` });
			}
			if (failure instanceof AccountError) return fail(409, { message: failure.code });
			throw failure;
		}
	},
	toggle: async (event) => {
		const form = await event.request.formData();
		const id = Number(form.get('id'));
		const disabled = form.get('disabled') === 'true';
		if (!Number.isSafeInteger(id)) return fail(400, { message: 'id: must be a number' });
		if (id === event.locals.user?.id) return fail(400, { message: 'you cannot disable your own account' });
		const { database } = getServices();
		if (!(await setAccountDisabled(database.sql, id, disabled)))
			return fail(404, { message: 'no such account' });
		await recordAudit(database.sql, {
			actor: requestActor(event),
			action: disabled ? 'user.disable' : 'user.enable',
			subjectType: 'user',
			subjectId: id,
			detail: { before: { disabled: !disabled }, after: { disabled } }
		});
		return {};
	}
};
