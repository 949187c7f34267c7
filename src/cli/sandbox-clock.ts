import { apiDate } from '../shared/clock.ts';
import { advanceClock, businessByUsername, clockState, resetClock, type ClockState } from '../sandbox/clock.service.ts';
import { parseClockDuration } from '../test-mode/test-clock.ts';
import { output, parse, withEnv } from './args.ts';
import { UsageError } from './command.ts';

// `mpandco sandbox clock advance 25h|show|reset --account USERNAME`: a business's sandbox test
// clock (src/test-mode/test-clock.ts). Production has none: --env production is refused.

const ACTIONS = ['advance', 'show', 'reset'];

function print(json: boolean, account: string, s: ClockState): void {
  output(json, {
    account, offset_ms: s.offsetMs, offset: s.offset, now: apiDate(s.nowMs), real_now: apiDate(s.realMs),
  }, `${account}: ${s.offsetMs ? `+${s.offset}` : 'real time'} (account time ${apiDate(s.nowMs)}, real time ${apiDate(s.realMs)})`);
}

export async function runSandboxClock(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { account: { type: 'string' }, env: { type: 'string' } });
  const [action, duration, ...rest] = positionals;
  if (!ACTIONS.includes(action ?? '')) throw new UsageError('try: sandbox clock advance 25h --account USERNAME (or show, reset)');
  if (values.env !== undefined && values.env !== 'sandbox') throw new UsageError('the test clock exists only in the sandbox; production has none');
  const account = values.account as string | undefined;
  if (!account) throw new UsageError('--account USERNAME is required (a sandbox business)');
  if (rest.length > 0 || (action !== 'advance' && duration !== undefined)) throw new UsageError('too many arguments');
  const byMs = action === 'advance' ? parseClockDuration(duration ?? '') : undefined;
  if (action === 'advance' && byMs === undefined) {
    throw new UsageError(`advance needs a duration such as 25h, 3d or 1d12h (at most 3650d), got "${duration ?? ''}"`);
  }
  const state = await withEnv('sandbox', values['data-dir'] as string | undefined, async (ctx) => {
    const owner = await businessByUsername(ctx, account);
    const actor = { operatorId: owner, via: 'cli' as const };
    if (action === 'advance') return advanceClock(ctx, owner, byMs!, actor);
    if (action === 'reset') return resetClock(ctx, owner, actor);
    return clockState(ctx, owner);
  });
  print(values.json as boolean, account.toLowerCase(), state);
  return 0;
}
