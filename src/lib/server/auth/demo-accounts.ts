/**
 * The demo's people: one account per role, plus a dispatcher limited to 莲前街道 to show street
 * scoping. Each start sets their passwords afresh (or to DEMO_PASSWORD) and returns them to print,
 * so a demo never depends on a password written down from an earlier run.
 */
import type { Sql } from '../db/client';
import { AccountError, createAccount, setAccountPassword } from './accounts';
import { generatePassword } from './passwords';
import type { Role } from './roles';

export interface DemoLogin {
	username: string;
	password: string;
	role: Role;
	streetCodes: string[];
}

/** 莲前街道, the modelled district's largest street. */
export const LIANQIAN_STREET = '350203010';

const DEMO_PEOPLE: { username: string; displayName: string; role: Role; streetCodes?: string[] }[] = [
	{ username: 'admin', displayName: '系统管理员', role: 'administrator' },
	{ username: 'dispatcher', displayName: '调度员', role: 'dispatcher' },
	{
		username: 'dispatcher-lianqian',
		displayName: '莲前调度员',
		role: 'dispatcher',
		streetCodes: [LIANQIAN_STREET]
	},
	{ username: 'supervisor', displayName: '调度主管', role: 'dispatch_supervisor' },
	{ username: 'responder', displayName: '响应员', role: 'responder' },
	{ username: 'planner', displayName: '规划员', role: 'planner' },
	{ username: 'editor', displayName: '地名编辑', role: 'gazetteer_editor' },
	{ username: 'reviewer', displayName: '地名审核', role: 'gazetteer_reviewer' },
	{ username: 'viewer', displayName: '访客', role: 'viewer' }
];

export async function seedDemoAccounts(sql: Sql, password: string | undefined): Promise<DemoLogin[]> {
	const logins: DemoLogin[] = [];
	for (const person of DEMO_PEOPLE) {
		const login = {
			username: person.username,
			password: password ?? generatePassword(),
			role: person.role,
			streetCodes: person.streetCodes ?? []
		};
		if (!(await setAccountPassword(sql, person.username, login.password)))
			await createAccount(sql, { ...person, password: login.password }).catch(async (error) => {
				// Another node starting at the same moment created it first: take it over.
				if (!(error instanceof AccountError)) throw error;
				await setAccountPassword(sql, person.username, login.password);
			});
		logins.push(login);
	}
	return logins;
}
