#!/usr/bin/env node
/** `npm run user -- <command>`: manages who can sign in to the browser editor (see userCommand.ts). */
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { runCommand } from './runCommand.js';
import { runUserCommand } from './userCommand.js';

/** The whole of standard input, first line only: for `echo "$PASSWORD" | npm run user -- add ...`. */
async function readPiped(): Promise<string | null> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  const line = text.split(/\r?\n/)[0] ?? '';
  return line === '' ? null : line;
}

/** Asks twice at the terminal without echoing what is typed. */
async function readHidden(prompt: string): Promise<string | null> {
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (!muted) process.stdout.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  const ask = (question: string) =>
    new Promise<string>((resolve) => {
      process.stdout.write(question);
      muted = true;
      rl.question('', (answer) => {
        muted = false;
        process.stdout.write('\n');
        resolve(answer);
      });
    });
  try {
    const first = await ask(prompt);
    const second = await ask('Type it again: ');
    if (first !== second) {
      process.stderr.write('The two passwords are not the same.\n');
      return null;
    }
    return first;
  } finally {
    rl.close();
  }
}

runCommand('npm run user', 'users', async (config) => {
  const outcome = await runUserCommand(process.argv.slice(2), config.dataDir, {
    readPassword: (prompt) => (process.stdin.isTTY ? readHidden(prompt) : readPiped()),
    now: () => Date.now(),
  });
  process.stdout.write(outcome.out);
  process.stderr.write(outcome.err);
  return outcome.code;
});
