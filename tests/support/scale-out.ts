/**
 * Processes and consoles for the scale-out tests: processes of the real entry (src/server.ts) with
 * the tail of their output kept, and socket.io consoles that record every push they get.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import type {
	ClientToServerEvents,
	IncidentSummary,
	ServerToClientEvents
} from '../../src/lib/realtime/events';
import { PROJECT_ROOT, spawnServer } from './spawn-server';

/** Web nodes serve the built SvelteKit app: CI builds before the tests, a developer's run builds here. */
export function ensureBuilt(): void {
	if (!existsSync(path.join(PROJECT_ROOT, 'build/handler.js')))
		execFileSync('npm', ['run', 'build'], { cwd: PROJECT_ROOT, stdio: 'ignore' });
}

export type ConsoleSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** What one console saw: each push once, and the latest of each incident. */
export interface ConsoleView {
	node: string;
	socket: ConsoleSocket;
	opened: Map<number, number>;
	latest: Map<number, IncidentSummary>;
	levelsSeen: Map<number, Set<number>>;
	duplicates: number;
}

/** A console of a logged-in dispatcher (`session`, tests/support/auth.ts) on one web node. */
export function attachConsole(url: string, session: string): Promise<ConsoleView> {
	const socket: ConsoleSocket = io(url, {
		transports: ['websocket'],
		reconnection: false,
		auth: { session }
	});
	const view: ConsoleView = {
		node: '',
		socket,
		opened: new Map(),
		latest: new Map(),
		levelsSeen: new Map(),
		duplicates: 0
	};
	const pushes = new Set<string>();
	const take = (incident: IncidentSummary, opened: boolean) => {
		// An alert raises alertCount, an escalation the level: a push seen twice repeats both.
		const key = `${incident.id}|${incident.alertCount}|${incident.escalationLevel}|${opened}`;
		if (pushes.has(key)) view.duplicates++;
		pushes.add(key);
		if (opened) view.opened.set(incident.id, (view.opened.get(incident.id) ?? 0) + 1);
		const before = view.latest.get(incident.id);
		if (
			!before ||
			before.alertCount < incident.alertCount ||
			before.escalationLevel < incident.escalationLevel
		)
			view.latest.set(incident.id, {
				...incident,
				alertCount: Math.max(incident.alertCount, before?.alertCount ?? 0),
				escalationLevel: Math.max(incident.escalationLevel, before?.escalationLevel ?? 0)
			});
		const levels = view.levelsSeen.get(incident.id) ?? new Set();
		levels.add(incident.escalationLevel);
		view.levelsSeen.set(incident.id, levels);
	};
	socket.on('incident:opened', (incident) => take(incident, true));
	socket.on('incident:updated', (incident) => take(incident, false));
	return new Promise((resolve, reject) => {
		socket.once('server:hello', (hello) => {
			view.node = hello.node;
			resolve(view);
		});
		socket.once('connect_error', reject);
	});
}

/** A process of the real entry, with the tail of its output kept for a failure message. */
export interface Node {
	child: ChildProcess;
	output(): string;
}

export function startNode(env: Record<string, string>): Node {
	const child = spawnServer(env);
	let tail = '';
	const keep = (chunk: Buffer) => (tail = (tail + chunk).slice(-20_000));
	child.stdout!.on('data', keep);
	child.stderr!.on('data', keep);
	return { child, output: () => tail };
}

/** Waits until the output holds `times` lines that match `pattern`. */
export function waitForLine(node: Node, pattern: RegExp, timeoutMs = 60_000, times = 1): Promise<void> {
	const every = new RegExp(pattern.source, 'g');
	return new Promise((resolve, reject) => {
		const timer = setTimeout(
			() => reject(new Error(`not ${times} × ${pattern} within ${timeoutMs} ms:\n${node.output()}`)),
			timeoutMs
		);
		const check = () => {
			if ((node.output().match(every)?.length ?? 0) < times) return;
			clearTimeout(timer);
			node.child.stdout!.off('data', check);
			resolve();
		};
		node.child.stdout!.on('data', check);
		node.child.once('exit', (code) => reject(new Error(`exited with ${code}:\n${node.output()}`)));
		check();
	});
}

/** Stops a process (SIGTERM: a graceful stop; SIGKILL: a crash); one that hangs is killed after 15 s. */
export async function stopNode(node: Node, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
	if (node.child.exitCode !== null || node.child.signalCode !== null) return;
	const exited = new Promise((resolve) => node.child.once('exit', resolve));
	node.child.kill(signal);
	const hung = setTimeout(() => node.child.kill('SIGKILL'), 15_000);
	await exited;
	clearTimeout(hung);
}
