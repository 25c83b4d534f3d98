import { cancelInvocation, querySql, waitUntil } from '@tickets/local-restate';
import type { Shop, TestEvent } from './shop.js';

// What an operator does from the Restate UI or CLI, for tests of what the shop does about it.

/** How the calls of a TicketDb handler to these seats have ended so far (`undefined`: not yet). */
export const callsTo = async (shop: Shop, handler: string, seats: readonly string[]) =>
  (
    await querySql<{ completion_result?: string }>(
      shop.system.adminUrl,
      `SELECT completion_result FROM sys_invocation WHERE target_handler_name = '${handler}' AND target_service_key IN ('${seats.join("','")}')`,
    )
  ).map((call) => call.completion_result);

/** How many calls of a TicketDb handler to these seats have not finished yet. */
export const waitingCallsTo = async (shop: Shop, handler: string, seats: readonly string[]) =>
  (await callsTo(shop, handler, seats)).filter((result) => result === undefined).length;

/** Cancel a user's running call of `handler` (e.g. checkout); answers its invocation id. */
export async function cancelUserCall(shop: Shop, user: string, handler: string): Promise<string> {
  const [running] = await querySql<{ id: string }>(shop.system.adminUrl, `SELECT id FROM sys_invocation WHERE target = 'UserSession/${user}/${handler}' AND status != 'completed'`);
  if (!running) throw new Error(`no ${handler} of ${user} is running`);
  await cancelInvocation(shop.system.adminUrl, running.id);
  return running.id;
}

/**
 * Run `call` (the user's `handler`) with ticket-db down, cancel it once its calls of TicketDb's `ticketDbHandler` to
 * `seats` wait in the engine, then bring ticket-db back. Answers the call's outcome once those calls have finished.
 * A first add of a seat of `event` makes the event's terms fresh in user-session, so that an add goes straight to
 * TicketDb; the shop must trust them (EVENT_TERMS_TTL) for longer than a slow machine takes to get there.
 */
export async function cancelWhileWaiting<T>(
  shop: Shop,
  event: TestEvent,
  { user, handler, ticketDbHandler, seats }: { user: string; handler: string; ticketDbHandler: string; seats: readonly string[] },
  call: () => Promise<T>,
) {
  if (!(await shop.user(`warm-${user}`).addTicket({ ticketId: event.seat() }))) throw new Error('the first add got no seat');
  await shop.system.app('ticket-db').process.kill();
  const answer = call().then((result) => ({ result }), (error: unknown) => ({ error: String(error) }));
  // Counted among the calls not yet finished: earlier ones to the same seats may still be listed.
  const waiting = () => waitingCallsTo(shop, ticketDbHandler, seats);
  await waitUntil(`the ${ticketDbHandler} calls`, async () => (await waiting()) === seats.length, 15_000);
  await cancelUserCall(shop, user, handler);
  await shop.system.startApp('ticket-db');
  const outcome = await answer;
  // A finished call is either still listed with its result or, with no retention, gone.
  await waitUntil(`the ${ticketDbHandler} calls to finish`, async () => (await waiting()) === 0, 15_000);
  return outcome;
}
