import { json } from '@sveltejs/kit';
import { getServices } from '$lib/server/context';
import { checkHealth } from '$lib/server/health';

export async function GET() {
	const report = await checkHealth(getServices());
	return json(report, {
		status: report.status === 'ok' ? 200 : 503,
		headers: { 'cache-control': 'no-store' }
	});
}
