/**
 * The state of one dispatch console: open incidents, responders, today's answer-time KPI, the
 * selected incident and its (audited) detail, and the commands sent over socket.io. The page wires
 * it to the socket and the keyboard; the components only read it and call its methods.
 */
import type { Socket } from 'socket.io-client';
import { byUrgency, isUnacknowledged } from '../alerts/sla';
import type { MessageKey } from '../i18n/messages';
import type {
	AnswerTimeKpi,
	ClientToServerEvents,
	CommandResult,
	IncidentDetail,
	IncidentSummary,
	ResponderSummary,
	ServerToClientEvents
} from '../realtime/events';
import { CLOSED_STATES, type IncidentAction as TransitionAction } from '../alerts/incident-transitions';
import type { Outcome } from '$lib/alerts/outcomes';
import {
	actionBlock,
	firstAvailableProposal,
	proposalBlock,
	type Connection,
	type ConsoleState
} from './allowed-actions';
import type { ActionBlock } from './refusals';
import { becameCriticalWaiting, isCriticalWaiting } from './critical-alarm';
import { PushesDuringRead, replaceById, replayOverSnapshot } from './snapshot-merge';
import { throttle } from './throttle';

export type ConsoleSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
/** The commands of the action bar (assigning goes through a proposal). */
export type IncidentAction = Exclude<TransitionAction, 'assign'>;
export type DetailStatus = 'idle' | 'loading' | 'ready' | 'not_found' | 'failed';

/** A message for the dispatcher: what a command did, or why it was refused (with the server's code). */
export interface Notice {
	tone: 'ok' | 'error' | 'info';
	/** The message; for a refusal, what is shown when `refusal` cannot be worded. */
	key: MessageKey;
	values?: Record<string, string | number>;
	code?: string;
	/** Why it was refused, as data: worded in the console's language (refusals.ts). */
	refusal?: ActionBlock;
	/** The server's own words, shown under the translated message when there is no `refusal` to word. */
	serverMessage?: string;
	/** The incident it is about: shown only while that incident is selected. */
	incidentId?: number;
}

const isClosed = (incident: IncidentSummary) => (CLOSED_STATES as readonly string[]).includes(incident.state);
const KNOWN_ERRORS = [
	'CONFLICT',
	'INVALID_TRANSITION',
	'NOT_FOUND',
	'BAD_COMMAND',
	'UNAVAILABLE',
	'FORBIDDEN'
];
/** How long a command may wait for its answer before the console says so. */
const COMMAND_TIMEOUT_MS = 10_000;
/** The KPI is refetched at most this often while incidents change. */
const KPI_REFRESH_MS = 2_000;
/** The open detail is refetched at most this often while its incident changes (each read is audited). */
const DETAIL_REFRESH_MS = 1_000;

export interface ConsoleInit {
	districtCode: string;
	incidents: IncidentSummary[];
	responders: ResponderSummary[];
	answerTimes: AnswerTimeKpi | null;
	/** The highest rung each severity climbs to (sla_targets.top_tier). */
	topTiers?: ConsoleState['topTiers'];
	/** Sounds when an incident becomes critical and unacknowledged (critical-alarm.ts says when). */
	chime?: () => void;
}

export class DispatchConsole {
	readonly districtCode: string;
	incidents = $state<IncidentSummary[]>([]);
	responders = $state<ResponderSummary[]>([]);
	answerTimes = $state<AnswerTimeKpi | null>(null);
	selectedId = $state<number | null>(null);
	detail = $state<IncidentDetail | null>(null);
	detailStatus = $state<DetailStatus>('idle');
	/** The socket's link: commands are offered only while it is online. */
	connection = $state<Connection>('connecting');
	readonly connected = $derived(this.connection === 'online');
	notice = $state<Notice | null>(null);
	/** The notice, unless it is about an incident other than the selected one. */
	readonly visibleNotice = $derived(
		this.notice && (this.notice.incidentId === undefined || this.notice.incidentId === this.selectedId)
			? this.notice
			: null
	);
	/** A key pressed before the detail came: assign its first available (`first`) or nth proposal then. */
	pendingAssign = $state<{ incidentId: number; index: number | 'first' } | null>(null);
	/** Commands sent and not answered yet. */
	pending = $state(0);

	readonly queue = $derived([...this.incidents].sort(byUrgency));
	readonly waiting = $derived(this.incidents.filter(isUnacknowledged));
	/** What the title bar counts and the chime announces. */
	readonly criticalWaiting = $derived(this.incidents.filter(isCriticalWaiting));
	readonly selected = $derived(this.queue.find((i) => i.id === this.selectedId) ?? null);
	/** The detail of the selected incident only (never a previous one's while the next loads). */
	readonly selectedDetail = $derived(this.detail?.incident.id === this.selectedId ? this.detail : null);
	readonly proposedResponderIds = $derived(this.selectedDetail?.proposals.map((p) => p.responder.id) ?? []);

	private socket: ConsoleSocket | undefined;
	private readonly topTiers: NonNullable<ConsoleState['topTiers']>;
	private chime: () => void;
	private detailRequest = 0;
	private detailAbort: AbortController | undefined;
	private kpiRequest = 0;
	private readonly refreshAnswerTimes = throttle(() => void this.loadAnswerTimes(), KPI_REFRESH_MS);
	private readonly refreshDetail = throttle(() => void this.loadDetail(), DETAIL_REFRESH_MS);
	/** What changed while a catch-up read was on its way, so its older answer cannot undo it. */
	private readonly incidentsDuringRead = new PushesDuringRead<IncidentSummary>();
	private readonly respondersDuringRead = new PushesDuringRead<ResponderSummary>();

	constructor(init: ConsoleInit) {
		this.districtCode = init.districtCode;
		this.incidents = init.incidents;
		this.responders = init.responders;
		this.answerTimes = init.answerTimes;
		this.topTiers = init.topTiers ?? {};
		this.chime = init.chime ?? (() => {});
	}

	/** Listens to the socket; returns what undoes it. */
	attach(socket: ConsoleSocket): () => void {
		this.socket = socket;
		socket.on('connect', () => {
			this.connection = 'online';
			// After a drop, what happened meanwhile is in the database: load it again.
			void this.catchUp();
		});
		socket.on('disconnect', () => (this.connection = 'offline'));
		socket.on('connect_error', () => (this.connection = 'offline'));
		socket.on('incident:opened', (incident) => this.upsert(incident));
		socket.on('incident:updated', (incident) => this.upsert(incident));
		socket.on('responder:updated', (responder) => this.upsertResponder(responder));
		return () => {
			this.refreshAnswerTimes.cancel();
			this.refreshDetail.cancel();
			this.detailAbort?.abort();
			socket.close();
			this.socket = undefined;
		};
	}

	select(id: number | null) {
		if (id === this.selectedId) return;
		this.selectedId = id;
		this.notice = null;
		this.pendingAssign = null;
		void this.loadDetail();
	}

	/** Moves the selection one step up (-1) or down (+1) the queue; from nothing, to the top. */
	step(direction: 1 | -1) {
		const index = this.queue.findIndex((i) => i.id === this.selectedId);
		const next =
			index < 0 ? this.queue[0] : this.queue[Math.min(this.queue.length - 1, Math.max(0, index + direction))];
		if (next) this.select(next.id);
	}

	/** Why a command cannot be sent for the selected incident now, or null. */
	blockOf(action: IncidentAction | 'assign'): ActionBlock | null {
		const incident = this.selected;
		return incident ? actionBlock(incident, action, this.consoleState) : null;
	}

	get consoleState(): ConsoleState {
		return { connection: this.connection, pending: this.pending > 0, topTiers: this.topTiers };
	}

	act(action: IncidentAction, outcome?: Outcome) {
		const incident = this.selected;
		if (!incident || !this.socket) return;
		const blocked = actionBlock(incident, action, this.consoleState);
		if (blocked) return this.refuse(incident.id, blocked);
		this.send(incident.id, (answer) =>
			this.socket!.timeout(COMMAND_TIMEOUT_MS).emit(
				'incident:act',
				{ incidentId: incident.id, action, outcome: outcome ?? null },
				answer
			)
		);
	}

	/** Offers the selected incident to a responder; a CONFLICT says another dispatcher was first. */
	assign(responder: ResponderSummary) {
		const incident = this.selected;
		if (!incident || !this.socket) return;
		const blocked = proposalBlock(incident, { responder }, this.consoleState);
		if (blocked) return this.refuse(incident.id, blocked);
		this.send(
			incident.id,
			(answer) =>
				this.socket!.timeout(COMMAND_TIMEOUT_MS).emit(
					'incident:assign',
					{ incidentId: incident.id, responderId: responder.id },
					answer
				),
			{ key: 'dispatch.assigned', values: { name: responder.name } }
		);
	}

	/**
	 * The `S` key (`first`: the nearest proposal whose responder is free and on shift) or `1`–`3`
	 * (the nth proposal as listed). Pressed before the detail came, it is done once the detail is in.
	 */
	assignProposal(index: number | 'first') {
		const incident = this.selected;
		if (!incident) return;
		const detail = this.selectedDetail;
		if (!detail) {
			if (this.detailStatus !== 'loading') {
				const key = this.detailStatus === 'not_found' ? 'dispatch.notFound' : 'dispatch.loadFailed';
				this.notice = { tone: 'error', key, incidentId: incident.id };
				return;
			}
			this.pendingAssign = { incidentId: incident.id, index };
			this.notice =
				index === 'first'
					? { tone: 'info', key: 'console.assignWaiting.first', incidentId: incident.id }
					: {
							tone: 'info',
							key: 'console.assignWaiting.nth',
							values: { n: index + 1 },
							incidentId: incident.id
						};
			return;
		}
		const chosen = index === 'first' ? firstAvailableProposal(incident, detail.proposals) : index;
		const proposal = chosen >= 0 ? detail.proposals[chosen] : undefined;
		if (proposal) this.assign(proposal.responder);
		else
			this.notice = {
				tone: 'error',
				incidentId: incident.id,
				...(detail.proposals.length === 0
					? { key: 'dispatch.noProposalToAssign' }
					: index === 'first'
						? { key: 'console.noAvailableProposal' }
						: { key: 'console.noNthProposal', values: { n: index + 1 } })
			};
	}

	/** The `s` key. */
	assignFirst() {
		this.assignProposal('first');
	}

	/** Says why a command was not sent (the button is greyed out for the same reason). */
	private refuse(incidentId: number, refusal: ActionBlock) {
		this.notice = { tone: 'error', key: 'dispatch.error.other', refusal, incidentId };
	}

	/** A key pressed while the detail loaded, done now that it is in (or dropped if it failed). */
	private runPendingAssign() {
		const pending = this.pendingAssign;
		if (!pending || pending.incidentId !== this.selectedId) return;
		this.pendingAssign = null;
		// Ready: assigned now; failed or gone: assignProposal says so.
		this.assignProposal(pending.index);
	}

	private send(
		incidentId: number,
		emit: (answer: (error: Error | null, result: CommandResult<IncidentSummary>) => void) => void,
		success?: Pick<Notice, 'key' | 'values'>
	) {
		this.notice = null;
		this.pending += 1;
		emit((error, result) => {
			this.pending -= 1;
			if (error) {
				this.notice = { tone: 'error', key: 'dispatch.error.TIMEOUT', code: 'TIMEOUT', incidentId };
			} else if (result.ok) {
				const incident = result.value;
				this.upsert(incident);
				// The queue shows a new state at once; an assignment also says who was asked, and a
				// closed incident, which leaves the queue, says where it went.
				if (success) this.notice = { tone: 'ok', ...success, incidentId };
				else if (incident.state === 'resolved' || incident.state === 'false_alarm')
					this.notice = { tone: 'ok', key: `dispatch.closed.${incident.state}`, values: { id: incident.id } };
				else this.notice = null;
			} else {
				this.notice = {
					tone: 'error',
					key: KNOWN_ERRORS.includes(result.code)
						? (`dispatch.error.${result.code}` as MessageKey)
						: 'dispatch.error.other',
					code: result.code,
					refusal: result.detail,
					serverMessage: result.message,
					incidentId
				};
			}
		});
	}

	upsert(incident: IncidentSummary) {
		this.incidentsDuringRead.record(incident);
		const closed = isClosed(incident);
		// Opened critical, raised to critical, or back to `new` after an acknowledgement.
		if (becameCriticalWaiting(this.incidents, [incident])) this.chime();
		this.incidents = replaceById(this.incidents, incident, closed);
		this.refreshAnswerTimes();
		if (incident.id !== this.selectedId) return;
		if (closed) {
			this.selectedId = null;
			this.detail = null;
			this.detailStatus = 'idle';
		} else {
			// Keep the panel's summary current at once; the rest of the detail follows from the server.
			if (this.detail?.incident.id === incident.id) this.detail = { ...this.detail, incident };
			this.refreshDetail();
		}
	}

	upsertResponder(responder: ResponderSummary) {
		this.respondersDuringRead.record(responder);
		this.responders = replaceById(this.responders, responder);
		if (this.detail?.proposals.some((p) => p.responder.id === responder.id)) {
			this.detail = {
				...this.detail,
				proposals: this.detail.proposals.map((p) =>
					p.responder.id === responder.id ? { ...p, responder } : p
				)
			};
		}
	}

	async catchUp() {
		const [incidents, responders] = await Promise.all([
			this.incidentsDuringRead.around(() => this.getJson<IncidentSummary[]>('incidents')),
			this.respondersDuringRead.around(() => this.getJson<ResponderSummary[]>('responders'))
		]);
		if (incidents.answer) {
			const before = this.incidents;
			this.incidents = replayOverSnapshot(incidents.answer, incidents.received, isClosed);
			// What was missed while offline rings once, however many incidents it is.
			if (becameCriticalWaiting(before, this.incidents)) this.chime();
			if (this.selectedId !== null && !this.incidents.some((i) => i.id === this.selectedId))
				this.select(null);
		}
		if (responders.answer) this.responders = replayOverSnapshot(responders.answer, responders.received);
		await Promise.all([this.loadAnswerTimes(), this.selectedId !== null ? this.loadDetail() : null]);
	}

	async loadAnswerTimes() {
		const request = ++this.kpiRequest;
		const kpi = await this.getJson<AnswerTimeKpi>('answer-times');
		if (kpi && request === this.kpiRequest) this.answerTimes = kpi;
	}

	/** Fetches the selected incident's detail; answers to a previous selection are dropped. */
	async loadDetail() {
		const id = this.selectedId;
		const request = ++this.detailRequest;
		this.detailAbort?.abort();
		if (id === null) {
			this.detail = null;
			this.detailStatus = 'idle';
			return;
		}
		const abort = (this.detailAbort = new AbortController());
		// A refetch of the same incident keeps the panel as it is until the answer comes.
		if (this.detail?.incident.id !== id) this.detailStatus = 'loading';
		try {
			const response = await fetch(`/api/districts/${this.districtCode}/incidents/${id}`, {
				signal: abort.signal
			});
			if (request !== this.detailRequest) return;
			if (response.status === 404) {
				this.detail = null;
				this.detailStatus = 'not_found';
				this.runPendingAssign();
				return;
			}
			if (!response.ok) throw new Error(`detail: HTTP ${response.status}`);
			const detail: IncidentDetail = await response.json();
			if (request !== this.detailRequest) return;
			this.detail = detail;
			this.detailStatus = 'ready';
			this.runPendingAssign();
		} catch (error) {
			if (request === this.detailRequest && !abort.signal.aborted) {
				this.detailStatus = 'failed';
				console.warn('incident detail', error);
				this.runPendingAssign();
			}
		}
	}

	private async getJson<T>(path: string): Promise<T | null> {
		try {
			const response = await fetch(`/api/districts/${this.districtCode}/${path}`);
			return response.ok ? ((await response.json()) as T) : null;
		} catch {
			// Offline for a moment: the next reconnect catches up again.
			return null;
		}
	}
}
