/**
 * The content worker thread. Its task code (parsers, templates, compression:
 * contentTasks.ts) is loaded at its first task, not when the thread starts:
 * the worker a server keeps ready for the next reload, renewed whenever it
 * has been idle a while, then holds about 10 MB instead of 40.
 */
import { serveTasks, type TaskHandler } from './serveTasks.js';

const KINDS = ['warm', 'parsePages', 'fileFacts', 'exportPages', 'renderPages'] as const;

let loaded: Promise<Record<string, TaskHandler>> | undefined;
const tasks = () => (loaded ??= import('./contentTasks.js').then((m) => m.contentTasks));

serveTasks(
  Object.fromEntries(
    KINDS.map((kind): [string, TaskHandler] => [
      kind,
      async (payload, context) => (await tasks())[kind]!(payload, context),
    ]),
  ),
);
