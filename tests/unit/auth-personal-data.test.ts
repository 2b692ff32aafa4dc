import { describe, expect, it } from 'vitest';
import { maskHousehold, maskName, maskPhone, detailForRole } from '../../src/lib/server/auth/personal-data';
import type { IncidentDetail } from '../../src/lib/realtime/events';

const household: IncidentDetail['household'] = {
	id: 7,
	externalId: 'H-7',
	residentName: '王秀英',
	phone: '13812345678',
	address: '莲前东路 12 号 3 单元 501',
	riskLevel: 'high',
	consent: true,
	emergencyContacts: [{ name: '王小明', phone: '13900001111', relation: '儿子' }],
	communityName: '莲花社区',
	streetName: '莲前街道'
};

describe('masking residents’ personal data', () => {
	it('keeps the family name and hides the given name', () => {
		expect(maskName('王秀英')).toBe('王**');
		expect(maskName('欧阳')).toBe('欧*');
	});

	it('keeps a phone number’s first three and last four digits', () => {
		expect(maskPhone('138-1234-5678')).toBe('138****5678');
		expect(maskPhone('110')).toBe('****');
		expect(maskPhone(null)).toBeNull();
	});

	it('leaves no name, phone or exact address of the resident or their contacts', () => {
		const text = JSON.stringify(maskHousehold(household));
		for (const secret of ['秀英', '13812345678', '12 号', '小明', '13900001111'])
			expect(text).not.toContain(secret);
		expect(maskHousehold(household)).toMatchObject({ address: '莲前街道莲花社区****', masked: true });
	});

	it('masks for supervisors and responders but not for dispatchers', () => {
		const detail = { household } as IncidentDetail;
		expect(detailForRole(detail, 'dispatcher').household.residentName).toBe('王秀英');
		expect(detailForRole(detail, 'dispatch_supervisor').household.residentName).toBe('王**');
		expect(detailForRole(detail, 'responder').household.phone).toBe('138****5678');
	});
});
