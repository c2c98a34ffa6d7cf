// `wazo-auth wait`: polls a daemon until it answers, as upstream's wazo-auth-wait does after a
// start (systemd's ExecStartPost), or gives up after a while.

import {ApiError} from '../client/errors.js';
import {ExitCode} from './exit-codes.js';
import {CliFailure} from './failure.js';

/** Upstream's: the daemon on this machine, on its default port. */
export const DEFAULT_WAIT_URL = 'http://127.0.0.1:9497';
/** Upstream waits 60 s. */
export const DEFAULT_WAIT_SECONDS = 60;
const INTERVAL_MS = 500;

/**
 * Resolves once `check` answers: with the daemon's version, or with a 503 (the daemon runs, a
 * component of it fails). Anything else (no connection, another server's answer) is tried again
 * until `timeoutMs`, then a CliFailure (exit 3) says what the last try met.
 */
export async function waitUntilAnswering(url: string, check: () => Promise<unknown>, timeoutMs: number): Promise<'ok' | 'degraded'> {
  const deadline = performance.now() + timeoutMs;
  let last = 'no try';
  for (;;) {
    const left = deadline - performance.now();
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      check().then(
        () => 'ok' as const,
        (error: unknown) => (error instanceof ApiError && error.status === 503 ? ('degraded' as const) : error),
      ),
      new Promise((resolve) => (timer = setTimeout(() => resolve(new Error('no answer yet')), Math.max(left, 0)))),
    ]);
    clearTimeout(timer);
    if (outcome === 'ok' || outcome === 'degraded') return outcome;
    last = outcome instanceof Error ? outcome.message : String(outcome);
    if (performance.now() + INTERVAL_MS >= deadline) {
      throw new CliFailure(`${url} did not answer within ${timeoutMs / 1000} s (${last})`, ExitCode.unreachable);
    }
    await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS));
  }
}
