/**
 * The gazetteer pages' forms → a proposal. Lines of aliases and former names (`name,from,to`), a
 * point from lon/lat or a drawn line or polygon as GeoJSON (`geometry`); left-over parts of the published record are dropped when the name changed, so
 * a rename gets its split and pinyin generated afresh unless the editor typed them.
 */
import type { PlaceAlias, PlaceRecord, PlaceRecordInput } from '../../gazetteer/record';
import { placeRecordSchema } from '../../gazetteer/record';
import { GazetteerError } from './places';
import { formText } from '../http/form-fields';

/** `name,from,to[,保护]`: a former name, the years it was in use, and whether it is protected. */
function formerLine(line: string): PlaceAlias {
	const [name, from, to, mark] = line.split(/[,，]/).map((s) => s.trim());
	const year = (value: string | undefined) => (value && /^\d{4}$/.test(value) ? Number(value) : null);
	return {
		name,
		kind: 'former',
		fromYear: year(from),
		toYear: year(to),
		protected: !!mark && /^(保护|protected|1|true)$/i.test(mark)
	};
}

/** The drawn geometry, if the form carries one; the record schema checks its type and coordinates. */
function drawnGeometry(form: FormData): unknown {
	const drawn = formText(form, 'geometry');
	if (!drawn) return undefined;
	try {
		return JSON.parse(drawn);
	} catch {
		throw new GazetteerError('INVALID', 'geometry: not valid GeoJSON');
	}
}

export function recordFromForm(
	form: FormData,
	base: PlaceRecord | null
): { input: PlaceRecordInput; reason: string } {
	const standardName = formText(form, 'standardName');
	const renamed = !base || base.standardName !== standardName;
	const specificPart = formText(form, 'specificPart');
	const genericPart = formText(form, 'genericPart');
	const pinyin = formText(form, 'pinyin');
	const partsTyped = specificPart + genericPart === standardName && (!base || !renamed);
	const lon = formText(form, 'lon');
	const lat = formText(form, 'lat');
	const successor = formText(form, 'successorId');
	const drawn = drawnGeometry(form);
	const raw = {
		standardName,
		classCode: formText(form, 'classCode'),
		...(partsTyped ? { specificPart, genericPart } : {}),
		pinyin: pinyin && !(renamed && base && pinyin === base.pinyin) ? pinyin : undefined,
		originNote: formText(form, 'originNote') || null,
		protected: form.get('protected') === 'on',
		status: formText(form, 'status') === 'retired' ? 'retired' : 'approved',
		successorId: successor ? Number(successor) : null,
		...(drawn !== undefined
			? { geometry: drawn }
			: lon && lat
				? { geometry: { type: 'Point', coordinates: [Number(lon), Number(lat)] } }
				: {}),
		aliases: [
			...formText(form, 'aliases')
				.split('\n')
				.map((s) => s.trim())
				.filter(Boolean)
				.map((name) => ({ name, kind: 'alias' as const })),
			...formText(form, 'former')
				.split('\n')
				.map((s) => s.trim())
				.filter(Boolean)
				.map(formerLine)
		]
	};
	const parsed = placeRecordSchema.safeParse(raw);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		throw new GazetteerError('INVALID', `${issue.path.join('.')}: ${issue.message}`);
	}
	const reason = formText(form, 'reason');
	if (!reason) throw new GazetteerError('INVALID', 'reason: a change needs a reason');
	return { input: parsed.data, reason };
}

/** The form's starting values for a published record (or a blank one). */
export function formValues(record: PlaceRecord | null, point: [number, number] | null) {
	return {
		standardName: record?.standardName ?? '',
		specificPart: record?.specificPart ?? '',
		genericPart: record?.genericPart ?? '',
		pinyin: record?.pinyin ?? '',
		classCode: record?.classCode ?? '53100',
		originNote: record?.originNote ?? '',
		protected: record?.protected ?? false,
		status: record?.status ?? 'approved',
		successorId: record?.successorId ? String(record.successorId) : '',
		aliases: (record?.aliases ?? [])
			.filter((a) => a.kind === 'alias')
			.map((a) => a.name)
			.join('\n'),
		former: (record?.aliases ?? [])
			.filter((a) => a.kind === 'former')
			.map((a) => [a.name, a.fromYear ?? '', a.toYear ?? '', ...(a.protected ? ['保护'] : [])].join(','))
			.join('\n'),
		lon: record?.geometry?.type === 'Point' && point ? String(point[0]) : '',
		lat: record?.geometry?.type === 'Point' && point ? String(point[1]) : ''
	};
}

export type PlaceFormValues = ReturnType<typeof formValues>;
