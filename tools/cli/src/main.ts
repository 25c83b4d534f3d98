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
const [command, ...args] = positionals;
const ingress = clients.connect({ url: process.env.INGRESS_URL ?? 'http://localhost:8080' });

function need(count: number): string[] {
  if (args.length !== count) {
    console.error(USAGE);
    process.exit(2);
  }
  return args;
}

async function run(): Promise<unknown> {
  switch (command) {
    case 'add': {
      const [user, seat] = need(2);
      return ingress.client(UserSession, user!).addTicket({ ticketId: seat! });
    }
    case 'remove': {
      const [user, seat] = need(2);
      return ingress.client(UserSession, user!).removeTicket({ ticketId: seat! });
    }
    case 'cart':
      return ingress.client(UserSession, need(1)[0]!).getCart();
    case 'checkout':
      return ingress.client(UserSession, need(1)[0]!).checkout({ email: values.email, paymentMethod: values.card });
    case 'status':
      return ingress.client(TicketDb, need(1)[0]!).status();
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
