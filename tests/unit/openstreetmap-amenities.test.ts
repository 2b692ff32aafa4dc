import { describe, expect, it } from 'vitest';
import { amenityKind, eldercareAmenities } from '../../src/lib/server/imports/openstreetmap/amenities';

describe('amenityKind', () => {
	it('recognises nursing homes and care for the elderly, and medical places', () => {
		expect(amenityKind({ amenity: 'nursing_home' })).toBe('institution');
		expect(amenityKind({ amenity: 'social_facility', social_facility: 'assisted_living' })).toBe(
			'institution'
		);
		expect(
			amenityKind({
				amenity: 'social_facility',
				social_facility: 'day_care',
				'social_facility:for': 'senior'
			})
		).toBe('institution');
		expect(amenityKind({ amenity: 'clinic' })).toBe('medical');
		expect(amenityKind({ amenity: 'hospital' })).toBe('medical');
	});

	it('leaves out social facilities for other people and everything else', () => {
		expect(
			amenityKind({ amenity: 'social_facility', social_facility: 'day_care', 'social_facility:for': 'child' })
		).toBeNull();
		expect(amenityKind({ amenity: 'social_facility', social_facility: 'shelter' })).toBeNull();
		expect(amenityKind({ amenity: 'restaurant' })).toBeNull();
	});
});

describe('eldercareAmenities', () => {
	it('prefers the Chinese name and reads beds or capacity', () => {
		const [place] = eldercareAmenities([
			{
				id: 7,
				lon: 118.1,
				lat: 24.45,
				tags: { amenity: 'nursing_home', name: 'Sunrise Home', 'name:zh': '朝阳养老院', capacity: '120' }
			}
		]);
		expect(place).toEqual({
			osmId: 7,
			lon: 118.1,
			lat: 24.45,
			name: '朝阳养老院',
			kind: 'institution',
			beds: 120
		});
	});
});
