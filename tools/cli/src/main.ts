// `pnpm ticket <command>`: the shop through the typed ingress client, with the contracts' own types and schemas.
import { parseArgs } from 'node:util';
import * as clients from '@restatedev/restate-sdk-clients';
import { TicketDb, UserSession } from '@tickets/contracts';

const USAGE = `usage: pnpm ticket <command>
  add <user> <seat>             hold a seat (prints true, or false if taken)
  remove <user> <seat>          give a held seat back
  cart <user>                   show the cart
  checkout <user> [--email a@b] [--card pm_card_visa|pm_card_chargeDeclined]
  status <seat>                 show a seat's state
env: INGRESS_URL (default http://localhost:8080)`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { email: { type: 'string' }, card: { type: 'string', default: 'pm_card_visa' }, help: { type: 'boolean', short: 'h' } },
});
const [command, first = '', second = ''] = positionals;
const ingress = clients.connect({ url: process.env.INGRESS_URL ?? 'http://localhost:8080' });

function need(count: number): void {
  if (positionals.length - 1 !== count) {
    console.error(USAGE);
    process.exit(2);
  }
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
  else console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
