/**
 * The household and device forms of the operator pages: what was typed (kept as typed, to show it
 * again next to the reasons), and its validated, typed form. Each reason is a message key, so the
 * page says it in the operator's language right by the field it concerns.
 */
import { z } from 'zod';
import type { MessageKey } from '../../i18n/messages';
import { DEVICE_ID, DEVICE_KINDS } from '../../mqtt/contract';
import { EMERGENCY_CONTACTS, FIRMWARE_MAX_LENGTH, HEARTBEAT_S, PHONE_PATTERN, RISK_LEVELS } from './fields';
import type { HouseholdDetail, HouseholdFields, HouseholdRefusal } from './households';
import { formText } from '../http/form-fields';

/** Reasons by field path (`phone`, `contacts.1.phone`); each field's first reason only. */
export type FieldErrors = Partial<Record<string, MessageKey>>;

export type FormReading<Values, Data> =
	| { values: Values; data: Data; errors?: undefined }
	| { values: Values; data?: undefined; errors: FieldErrors };

const because = (key: MessageKey) => ({ error: key });

const optionalText = (max: number, tooLong: MessageKey) =>
	z
		.string()
		.max(max, because(tooLong))
		.transform((value) => value || null);

const phoneNumber = z
	.string()
	.refine((value) => value === '' || PHONE_PATTERN.test(value), because('households.error.phone'));

const decimalIn = (min: number, max: number, reason: MessageKey) =>
	z
		.string()
		.regex(/^[+-]?\d+(\.\d+)?$/, because(reason))
		.transform(Number)
		.pipe(z.number().min(min, because(reason)).max(max, because(reason)));

const contactSchema = z.object({
	name: z
		.string()
		.min(1, because('households.error.contactName'))
		.max(EMERGENCY_CONTACTS.nameMaxLength, because('households.error.tooLong')),
	phone: z.string().min(1, because('households.error.contactPhone')).pipe(phoneNumber),
	relation: z
		.string()
		.max(EMERGENCY_CONTACTS.relationMaxLength, because('households.error.tooLong'))
		.transform((value) => value || undefined)
});

const householdSchema = z.object({
	residentName: z
		.string()
		.min(1, because('households.error.residentName'))
		.max(100, because('households.error.tooLong')),
	phone: phoneNumber.transform((value) => value || null),
	address: optionalText(200, 'households.error.tooLong'),
	lon: decimalIn(-180, 180, 'households.error.lon'),
	lat: decimalIn(-90, 90, 'households.error.lat'),
	riskLevel: z.enum(RISK_LEVELS, because('households.error.riskLevel')),
	consent: z.boolean(),
	contacts: z.array(contactSchema).max(EMERGENCY_CONTACTS.max, because('households.error.tooManyContacts'))
});

const newHouseholdSchema = householdSchema.extend({
	externalId: z.string().regex(/^\S{1,64}$/, because('households.error.externalId'))
});

/** The typed household, in the registry's terms. */
function asHousehold<T extends z.output<typeof householdSchema>>({ lon, lat, contacts, ...rest }: T) {
	return { ...rest, location: [lon, lat] as [number, number], emergencyContacts: contacts };
}

export type HouseholdFormValues = {
	externalId: string;
	residentName: string;
	phone: string;
	address: string;
	lon: string;
	lat: string;
	riskLevel: string;
	consent: boolean;
	contacts: { name: string; phone: string; relation: string }[];
};

/**
 * Reads the household form: `contactName`/`contactPhone`/`contactRelation` repeat once per emergency
 * contact, and rows left blank are dropped. `isNew` asks for the external id too.
 */
export function readHouseholdForm(
	form: FormData,
	isNew: boolean
): FormReading<HouseholdFormValues, HouseholdFields & { externalId: string }> {
	const column = (name: string) => form.getAll(name).map((value) => String(value).trim());
	const relations = column('contactRelation');
	const phones = column('contactPhone');
	const values: HouseholdFormValues = {
		externalId: formText(form, 'externalId'),
		residentName: formText(form, 'residentName'),
		phone: formText(form, 'phone'),
		address: formText(form, 'address'),
		lon: formText(form, 'lon'),
		lat: formText(form, 'lat'),
		riskLevel: formText(form, 'riskLevel'),
		consent: form.get('consent') === 'on',
		contacts: column('contactName')
			.map((name, i) => ({ name, phone: phones[i] ?? '', relation: relations[i] ?? '' }))
			.filter((contact) => contact.name || contact.phone || contact.relation)
	};
	const parsed = (isNew ? newHouseholdSchema : householdSchema.extend({ externalId: z.string() })).safeParse(
		values
	);
	return parsed.success
		? { values, data: asHousehold(parsed.data) }
		: { values, errors: fieldErrors(parsed.error) };
}

/** The form of a household not yet registered. */
export const NEW_HOUSEHOLD_VALUES: HouseholdFormValues = {
	externalId: '',
	residentName: '',
	phone: '',
	address: '',
	lon: '',
	lat: '',
	riskLevel: 'medium',
	consent: false,
	contacts: []
};

/** A stored household as the form shows it. */
export function householdFormValues(household: HouseholdDetail): HouseholdFormValues {
	return {
		externalId: household.externalId,
		residentName: household.residentName,
		phone: household.phone ?? '',
		address: household.address ?? '',
		lon: String(household.location[0]),
		lat: String(household.location[1]),
		riskLevel: household.riskLevel,
		consent: household.consent,
		contacts: household.emergencyContacts.map((c) => ({ ...c, relation: c.relation ?? '' }))
	};
}

/** Where the form shows why the registry refused a household. */
export const HOUSEHOLD_REFUSALS: Record<HouseholdRefusal, FieldErrors> = {
	external_id_taken: { externalId: 'households.error.externalIdTaken' },
	outside_district: { lon: 'households.error.outsideDistrict' }
};

const deviceSettingsSchema = z.object({
	kind: z.enum(DEVICE_KINDS, because('devices.error.kind')),
	heartbeatS: z
		.string()
		.regex(/^\d+$/, because('devices.error.heartbeat'))
		.transform(Number)
		.pipe(
			z
				.number()
				.min(HEARTBEAT_S.min, because('devices.error.heartbeat'))
				.max(HEARTBEAT_S.max, because('devices.error.heartbeat'))
		),
	firmware: optionalText(FIRMWARE_MAX_LENGTH, 'devices.error.firmware')
});

const newDeviceSchema = deviceSettingsSchema.extend({
	id: z.string().regex(DEVICE_ID, because('devices.error.id'))
});

export type DeviceFormValues = { id: string; kind: string; heartbeatS: string; firmware: string };
export type DeviceFormData = z.output<typeof newDeviceSchema>;

/**
 * Reads a device form; `isNew` asks for a valid new device id too (an existing device's id comes
 * along as `id`, unchecked: the registry finds it or not).
 */
export function readDeviceForm(
	form: FormData,
	isNew: boolean
): FormReading<DeviceFormValues, DeviceFormData> {
	const values: DeviceFormValues = {
		id: formText(form, 'id'),
		kind: formText(form, 'kind'),
		heartbeatS: formText(form, 'heartbeatS'),
		firmware: formText(form, 'firmware')
	};
	const parsed = (isNew ? newDeviceSchema : deviceSettingsSchema.extend({ id: z.string() })).safeParse(
		values
	);
	return parsed.success ? { values, data: parsed.data } : { values, errors: fieldErrors(parsed.error) };
}

function fieldErrors(error: z.ZodError): FieldErrors {
	const errors: FieldErrors = {};
	for (const issue of error.issues) {
		const path = issue.path.join('.');
		// Every schema above gives each check a message key as its error.
		errors[path] ??= issue.message as MessageKey;
	}
	return errors;
}
