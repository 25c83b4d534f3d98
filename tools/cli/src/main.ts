// `pnpm ticket <command>`: the shop through the typed ingress client, with the contracts' own types and schemas.
import { parseArgs } from 'node:util';
import * as clients from '@restatedev/restate-sdk-clients';
import { TicketDb, UserSession } from '@tickets/contracts';
import { allRefunded, refundEvent, refundOrder, type AdminAccess } from './refund-event.js';

/** How often `refund-event --wait` looks again for orders placed since. */
const WAIT_POLL_MILLIS = 2_000;

const USAGE = `usage: pnpm ticket <command>
  add <user> <seat>             hold a seat (prints true, or false if taken)
  remove <user> <seat>          give a held seat back
  cart <user>                   show the cart
  checkout <user> [--email a@b] [--card pm_card_visa|pm_card_chargeDeclined]
  status <seat>                 show a seat's state
  refund <orderId> --reason R [--event E]
                                refund an order as an event admin; --event: only its seats of event E
  refund-event <eventId> --reason R [--wait]
                                refund every confirmed order's seats of a closed event (the rest of an order
                                spanning other events stands); exits 1 if any is left or seats are still
                                held or being bought; --wait: go on until none is
env: INGRESS_URL (default http://localhost:8080); for refunds ADMIN_TOKEN, and ADMIN_URL (default http://localhost:9070)`;

/** The command line, or the usage and exit code 2 for an option it does not know or one without its value. */
function parseCommandLine() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: { email: { type: 'string' }, card: { type: 'string', default: 'pm_card_visa' }, reason: { type: 'string' }, event: { type: 'string' }, wait: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    process.exit(2);
  }
}

const { positionals, values } = parseCommandLine();
const [command, first = '', second = ''] = positionals;
const ingressUrl = process.env.INGRESS_URL ?? 'http://localhost:8080';
const ingress = clients.connect({ url: ingressUrl });

function need(count: number): void {
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (positionals.length - 1 !== count) {
    console.error(USAGE);
    process.exit(2);
  }
}

/** What a refund needs besides its order: the admin token, a reason, and the admin API to find an event's orders. */
function admin(): AdminAccess & { reason: string } {
  const adminToken = process.env.ADMIN_TOKEN;
  if (!adminToken || !values.reason) {
    console.error(`${USAGE}\n\nrefunds need ADMIN_TOKEN in the environment and --reason`);
    process.exit(2);
  }
  return { ingress, adminUrl: process.env.ADMIN_URL ?? 'http://localhost:9070', adminToken, reason: values.reason };
}

async function run(): Promise<unknown> {
  switch (command) {
    case 'add':
      need(2);
      return ingress.client(UserSession, first).addTicket({ ticketId: second });
    case 'remove':
      need(2);
      return ingress.client(UserSession, first).removeTicket({ ticketId: second });
    case 'cart':
      need(1);
      return ingress.client(UserSession, first).getCart();
    case 'checkout':
      need(1);
      return ingress.client(UserSession, first).checkout({ email: values.email, paymentMethod: values.card });
    case 'status':
      need(1);
      return ingress.client(TicketDb, first).status();
    case 'refund': {
      need(1);
      const access = admin();
      return refundOrder(access, first, access.reason, values.event);
    }
    case 'refund-event': {
      need(1);
      const access = admin();
      const refunds = await refundEvent(access, first, access.reason, values.wait ? WAIT_POLL_MILLIS : undefined);
      // Printed in full either way; not all refunded is a failure to look at.
      if (!allRefunded(refunds)) process.exitCode = 1;
      return refunds;
    }
    default:
      console.error(USAGE);
      process.exit(values.help ? 0 : 2);
  }
}

try {
  console.log(JSON.stringify(await run(), null, 2));
} catch (error) {
  // HttpCallError carries the ingress status and body; show them rather than a stack trace.
  if (error instanceof clients.HttpCallError) console.error(`error ${error.status}: ${error.responseText}`);
  // A network failure says only "fetch failed"; its cause (ECONNREFUSED, say) and the address are what help.
  else if (error instanceof Error && error.cause instanceof Error) console.error(`${error.message} (${ingressUrl}): ${error.cause.message}`);
  else console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
