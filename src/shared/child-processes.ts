import type { ChildProcess } from 'node:child_process';

/** Whether the child has ended: a child killed by a signal keeps `exitCode` null (its `signalCode` says how it ended). */
export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Asks the child to stop (SIGTERM), kills it after `killAfterMs` if it has not, and resolves once it has exited. */
export async function stopProcess(child: ChildProcess, killAfterMs: number): Promise<void> {
  if (hasExited(child)) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  await exited;
  clearTimeout(timer);
}
