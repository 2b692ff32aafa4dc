import { AUDIT_ACTIONS, recentAudit } from '$lib/server/audit/audit-log';
import { getServices } from '$lib/server/context';
import type { PageServerLoad } from './$types';

/** A day typed in the form, as the instant it starts in Asia/Shanghai (the district's time). */
const dayStart = (day: string | null, plusDays = 0): Date | undefined => {
	if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
	const start = new Date(`${day}T00:00:00+08:00`);
	return Number.isNaN(start.getTime()) ? undefined : new Date(start.getTime() + plusDays * 86_400_000);
};

export const load: PageServerLoad = async ({ url }) => {
	const param = (name: string) => url.searchParams.get(name)?.trim().slice(0, 100) || undefined;
	const subject = { subjectType: param('subjectType'), subjectId: param('subjectId') };
	const action = AUDIT_ACTIONS.find((known) => known === param('action'));
	const search = {
		actor: param('actor') ?? '',
		action: action ?? '',
		from: param('from') ?? '',
		to: param('to') ?? ''
	};
	const { database, config } = getServices();
	const entries = await recentAudit(database.sql, {
		...subject,
		districtCode: config.districtCode,
		actor: search.actor || undefined,
		action,
		from: dayStart(search.from || null),
		to: dayStart(search.to || null, 1)
	});
	return { subject, search, actions: AUDIT_ACTIONS, entries };
};
