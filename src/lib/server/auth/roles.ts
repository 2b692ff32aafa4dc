/**
 * The roles a person can have (one each). Browser code imports the types only; which routes each
 * role may open is decided in policy.ts.
 */
export const ROLES = [
	'dispatcher',
	'dispatch_supervisor',
	'responder',
	'planner',
	'gazetteer_editor',
	'gazetteer_reviewer',
	'administrator',
	'viewer'
] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
	return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** The logged-in person as the request handlers see them (`event.locals.user`). */
export interface SessionUser {
	id: number;
	username: string;
	displayName: string;
	role: Role;
	/** Streets (9-digit codes) the user is limited to; empty = the whole district. */
	streetCodes: string[];
	/** For a responder's account: the responder it is (the only one it may act as). */
	responderId: number | null;
}

/** The street a 12-digit community code lies in (GB/T 10114: the first nine digits). */
export function streetOfCommunity(communityCode: string | null): string | null {
	return communityCode && communityCode.length >= 9 ? communityCode.slice(0, 9) : null;
}

/** Whether a user limited to some streets may see something located in this community. */
export function seesCommunity(user: Pick<SessionUser, 'streetCodes'>, communityCode: string | null): boolean {
	if (user.streetCodes.length === 0) return true;
	const street = streetOfCommunity(communityCode);
	return street !== null && user.streetCodes.includes(street);
}

/** What a user limited to some streets may see of a list of located things. */
export function onlyVisible<T extends { communityCode: string | null }>(
	user: Pick<SessionUser, 'streetCodes'>,
	items: T[]
): T[] {
	return user.streetCodes.length === 0
		? items
		: items.filter((item) => seesCommunity(user, item.communityCode));
}
