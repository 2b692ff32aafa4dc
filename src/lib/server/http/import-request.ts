import { error } from '@sveltejs/kit';
import type { ImportFormat } from '../../geo/tabular-rows';

/**
 * An import request to the address and marker APIs: the file as the body, `?format=csv|geojson`
 * (default: guessed from the content type) and `?dryRun=1` to check without writing.
 */
export async function readImportRequest(
	url: URL,
	request: Request
): Promise<{ format: ImportFormat; text: string; dryRun: boolean }> {
	const asked = url.searchParams.get('format');
	const type = request.headers.get('content-type') ?? '';
	const format = asked ?? (type.includes('json') ? 'geojson' : 'csv');
	if (format !== 'csv' && format !== 'geojson') error(400, `format must be csv or geojson, not ${format}`);
	const dryRun = ['1', 'true'].includes(url.searchParams.get('dryRun') ?? '');
	return { format, text: await request.text(), dryRun };
}

/** The format of an uploaded file, by its name (GeoJSON for .geojson/.json, CSV otherwise). */
export function formatOfFile(name: string): ImportFormat {
	return /\.(geo)?json$/i.test(name) ? 'geojson' : 'csv';
}

/** An export's format, `?format=csv|geojson` (default geojson). */
export function exportFormat(url: URL): ImportFormat {
	const format = url.searchParams.get('format') ?? 'geojson';
	if (format !== 'csv' && format !== 'geojson') error(400, `format must be csv or geojson, not ${format}`);
	return format;
}

export function download(body: string, format: ImportFormat, file: string): Response {
	return new Response(body, {
		headers: {
			'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/geo+json',
			'content-disposition': `attachment; filename="${file}.${format}"`
		}
	});
}
