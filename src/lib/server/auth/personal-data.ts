/**
 * Residents' personal data by role (PIPL treats health data as sensitive): dispatchers and
 * administrators see it, because calling and registering the resident is their work; supervisors
 * and responders get it masked and may reveal one household's with a reason, which is audited;
 * every other role never reaches a resident at all (policy.ts). Pure: data in, data out.
 */
import type { IncidentDetail } from '../../realtime/events';
import type { Role } from './roles';

export const SEES_PERSONAL_DATA: readonly Role[] = ['dispatcher', 'administrator'];

export function seesPersonalData(role: Role): boolean {
	return SEES_PERSONAL_DATA.includes(role);
}

/** 王秀英 → 王**: the family name stays, so a masked list can still be talked about. */
export function maskName(name: string): string {
	const chars = [...name.trim()];
	return chars.length <= 1 ? '*' : chars[0] + '*'.repeat(Math.min(chars.length - 1, 3));
}

/** 13812345678 → 138****5678; anything short is masked entirely. */
export function maskPhone(phone: string | null): string | null {
	if (phone === null) return null;
	const digits = phone.replace(/\D/g, '');
	return digits.length >= 7 ? `${digits.slice(0, 3)}****${digits.slice(-4)}` : '****';
}

/** The exact address gives way to its street and community: enough to know where to send help. */
export function maskAddress(household: { streetName: string | null; communityName: string | null }): string {
	return `${household.streetName ?? ''}${household.communityName ?? ''}****`;
}

type Household = IncidentDetail['household'];

export function maskHousehold(household: Household): Household {
	return {
		...household,
		residentName: maskName(household.residentName),
		phone: maskPhone(household.phone),
		address: household.address === null ? null : maskAddress(household),
		emergencyContacts: household.emergencyContacts.map((contact) => ({
			...contact,
			name: maskName(contact.name),
			phone: maskPhone(contact.phone) ?? '****'
		})),
		masked: true
	};
}

/** The detail as this role may see it. */
export function detailForRole(detail: IncidentDetail, role: Role): IncidentDetail {
	return seesPersonalData(role) ? detail : { ...detail, household: maskHousehold(detail.household) };
}
