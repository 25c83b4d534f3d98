import * as clients from '@restatedev/restate-sdk-clients';
import { Event, Order, parseSeatId, seatId, UserSession, type EventDefinition, type OrderRecord } from '@tickets/contracts';
import { startLocalFakes, type LocalFakes } from '@tickets/fakes';
import { LocalSystem, serviceState, waitForInvocationsToFinish, type AppName } from '@tickets/local-restate';
import { checkInvariants, type Acknowledged, type BuyerRecord, type InvariantResult, type OrderRecordLite, type SeatRecord, type Snapshot } from './invariants.js';
import { Random } from './random.js';
import { ResilientIngress } from './resilient-client.js';

export interface ChaosOptions {
  seed: number;
  durationMs: number;
  users: number;
  /** Run on a 3-node Restate cluster and kill nodes instead of the single server. */
  cluster: boolean;
  holdMs?: number;
  log?: (line: string) => void;
}

export type Outcome = 'ok' | 'refused' | 'failed';

export interface ChaosReport {
  seed: number;
  mode: 'single node' | '3-node cluster';
  durationMs: number;
  operations: Record<string, Record<Outcome, number>>;
  faults: Record<string, number>;
  clientRetries: number;
  invariants: InvariantResult[];
  ok: boolean;
}

const ADMIN_TOKEN = 'chaos-admin-token-0123456789';
const ADMIN_HEADERS = { authorization: `Bearer ${ADMIN_TOKEN}` };
const APPS: AppName[] = ['user-session', 'ticket-db', 'checkout'];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface ChaosEvent {
  eventId: string;
  definition: EventDefinition;
}

/** The main night, and a second one (the matinee) that carts mix in, and whose seats event admins refund alone. */
function chaosEvents(seed: number): [night: ChaosEvent, matinee: ChaosEvent] {
  const night: EventDefinition = {
    name: 'Chaos night',
    venue: 'Somewhere loud',
    startsAt: '2030-01-01T20:00:00Z',
    currency: 'USD',
    sections: [
      { id: 'front', name: 'Front', priceCents: 7500, rows: [{ label: 'A', seats: 40 }, { label: 'B', seats: 40 }] },
      { id: 'back', name: 'Back', priceCents: 3000, rows: [{ label: 'C', seats: 40 }, { label: 'D', seats: 40 }] },
    ],
    maxSeatsPerUser: 6,
  };
  const matinee: EventDefinition = {
    ...night,
    name: 'Chaos matinee',
    startsAt: '2030-01-01T14:00:00Z',
    sections: [{ id: 'stalls', name: 'Stalls', priceCents: 2000, rows: [{ label: 'A', seats: 40 }, { label: 'B', seats: 40 }] }],
  };
  return [
    { eventId: `chaos-${seed}`, definition: night },
    { eventId: `chaos-${seed}-matinee`, definition: matinee },
  ];
}

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const log = options.log ?? (() => undefined);
  const holdMs = options.holdMs ?? 3_000;
  // More than a payment can take here, 2 × (PAYMENT_MAX_RETRY + PAYMENT_REQUEST_TIMEOUT) = 7 s, so that no hold runs
  // out mid-payment.
  const checkoutGraceMs = 8_000;
  const fakes = await startLocalFakes();
  const system = await LocalSystem.start({
    clusterSize: options.cluster ? 3 : undefined,
    appEnv: { ADMIN_TOKEN, HOLD_DURATION: `${holdMs}ms`, CHECKOUT_GRACE: `${checkoutGraceMs}ms`, PAYMENT_REQUEST_TIMEOUT: '500ms', PAYMENT_MAX_RETRY: '3s', ...fakes.appEnv },
  }).catch(async (error: unknown) => {
    await fakes.close();
    throw error;
  });
  log(`seed ${options.seed}: ${options.cluster ? '3-node cluster' : 'single node'}, ${options.users} users for ${options.durationMs / 1000} s`);
  try {
    const events = chaosEvents(options.seed);
    for (const { eventId, definition } of events) {
      const admin = clients.connect({ url: system.ingressUrl }).client(Event, eventId);
      await admin.create(definition, clients.rpc.opts({ headers: ADMIN_HEADERS }));
      await admin.open(clients.rpc.opts({ headers: ADMIN_HEADERS }));
    }
    const seats = events.flatMap(({ eventId, definition }) =>
      definition.sections.flatMap((s) => s.rows.flatMap((row) => Array.from({ length: row.seats }, (_, i) => seatId({ eventId, row: row.label, number: i + 1 })))),
    );
    const [, { eventId: matinee }] = events;

    const ingress = new ResilientIngress(system.nodes.map((node) => node.ingressUrl), 90_000);
    const operations: ChaosReport['operations'] = {};
    const record = (kind: string, outcome: Outcome) => {
      operations[kind] ??= { ok: 0, refused: 0, failed: 0 };
      operations[kind][outcome]++;
    };
    const faults: Record<string, number> = {};
    const acknowledged: Acknowledged[] = [];
    const deadline = Date.now() + options.durationMs;

    const users = Array.from({ length: options.users }, (_, index) =>
        simulateUser(`u${index}`, new Random(options.seed * 1_000 + index), { ingress, node: index, seats, matinee, deadline, record, acknowledged, seed: options.seed }),
    );
    const injector = injectFaults(system, new Random(options.seed + 1), deadline, options.cluster, faults, log);
    await Promise.all([...users, injector]);
    log(`workload done; draining (holds expire after ${holdMs} ms, or ${checkoutGraceMs} ms if a checkout kept them)`);

    await sleep(Math.max(holdMs, checkoutGraceMs) + 1_000);
    await waitForInvocationsToFinish(system.adminUrl);
    const snapshot = await takeSnapshot(system, fakes, events.map((event) => event.eventId), acknowledged);
    const invariants = checkInvariants(snapshot);
    return {
      seed: options.seed,
      mode: options.cluster ? '3-node cluster' : 'single node',
      durationMs: options.durationMs,
      operations,
      faults,
      clientRetries: ingress.retries,
      invariants,
      ok: invariants.every((i) => i.ok),
    };
  } finally {
    await system.stop();
    await fakes.close();
  }
}

interface UserContext {
  ingress: ResilientIngress;
  /** Which node's ingress this user talks to first. */
  node: number;
  seats: string[];
  /** The event whose seats an event admin refunds on their own. */
  matinee: string;
  deadline: number;
  seed: number;
  record(kind: string, outcome: Outcome): void;
  acknowledged: Acknowledged[];
}

/**
 * One simulated shopper: holds seats, gives some back, lets some expire, pays (with good, bad, flaky cards), cancels;
 * now and then an event admin refunds one of their orders, or only its matinee seats.
 */
async function simulateUser(userId: string, random: Random, ctx: UserContext): Promise<void> {
  let step = 0;
  const session = (ingress: clients.Ingress) => ingress.client(UserSession, userId);
  const call = <T>(operation: (i: clients.Ingress, o: { idempotencyKey: string }) => Promise<T>, key: string) => ctx.ingress.call(operation, key);
  /** Cancel one of this user's confirmed orders (by `how`), and remember what the client was told. */
  const cancelOne = async (
    kind: string,
    how: (i: clients.Ingress, orderId: string, o: { idempotencyKey: string }) => Promise<OrderRecord>,
    key: string,
    /** What the answer counts as, under which name. */
    outcome = (answer: OrderRecord): [string, Outcome] => [kind, answer.status === 'cancelled' ? 'ok' : 'refused'],
    among = (_: Acknowledged) => true,
  ) => {
    const mine = ctx.acknowledged.filter((a) => a.userId === userId && a.cancelled === false && among(a));
    if (mine.length === 0) return;
    const order = random.pick(mine);
    order.cancelled = 'unknown';
    const answer = await call((i, o) => how(i, order.orderId, o), key);
    order.cancelled = answer.status === 'cancelled';
    ctx.record(...outcome(answer));
  };
  const adminRefund = (eventId?: string) => (i: clients.Ingress, orderId: string, o: { idempotencyKey: string }) =>
    i.client(Order, orderId).refund({ reason: 'Chaos: refunded by an event admin.', ...(eventId ? { eventId } : {}) }, clients.rpc.opts({ ...o, headers: ADMIN_HEADERS }));
  while (Date.now() < ctx.deadline) {
    const action = random.weighted({ addTickets: 35, removeTicket: 10, checkout: 25, cancelOrder: 5, adminRefund: 2, adminMatineeRefund: 2, wait: 21 });
    const key = `${ctx.seed}:${userId}:${step++}`;
    try {
      switch (action) {
        case 'addTickets': {
          const wanted = [...new Set(Array.from({ length: random.int(1, 3) }, () => random.pick(ctx.seats)))];
          const result = await call((i, o) => session(i).addTickets({ ticketIds: wanted }, clients.rpc.opts(o)), key);
          ctx.record('addTickets', result.ok ? 'ok' : 'refused');
          break;
        }
        case 'removeTicket': {
          const cart = await call((i) => session(i).getCart(), `${key}:cart`);
          if (cart.tickets.length === 0) break;
          const ticketId = random.pick(cart.tickets).ticketId;
          const removed = await call((i, o) => session(i).removeTicket({ ticketId }, clients.rpc.opts(o)), key);
          ctx.record('removeTicket', removed ? 'ok' : 'refused');
          break;
        }
        case 'checkout': {
          const paymentMethod = random.weighted({ pm_card_visa: 55, pm_card_chargeDeclined: 15, pm_card_flaky: 25, pm_card_hang: 5 });
          const result = await call((i, o) => session(i).checkout({ email: `${userId}@chaos.test`, paymentMethod }, clients.rpc.opts(o)), key);
          ctx.record(`checkout ${paymentMethod}`, result.ok ? 'ok' : 'refused');
          if (result.ok) ctx.acknowledged.push({ orderId: result.orderId, userId, ticketIds: result.tickets.map((t) => t.ticketId), cancelled: false });
          break;
        }
        case 'cancelOrder':
          await cancelOne(action, (i, orderId, o) => session(i).cancelOrder({ orderId }, clients.rpc.opts(o)), key);
          break;
        case 'adminRefund':
          await cancelOne(action, adminRefund(), key);
          break;
        case 'adminMatineeRefund':
          // Of an order with matinee seats: those alone, or the whole order if they are all it has (or has left).
          await cancelOne(
            action,
            adminRefund(ctx.matinee),
            key,
            (answer) =>
              answer.status === 'cancelled' ? [`${action} (whole order)`, 'ok'] : [`${action} (its seats)`, answer.partRefunds?.some((part) => part.eventId === ctx.matinee) ? 'ok' : 'refused'],
            (order) => order.ticketIds.some((ticketId) => parseSeatId(ticketId)?.eventId === ctx.matinee),
          );
          break;
        case 'wait':
          await sleep(random.int(100, 1_500));
          break;
      }
    } catch (error) {
      // A 4xx (limit reached, …) is the shop saying no; anything else is a call that never got an answer.
      ctx.record(action, error instanceof clients.HttpCallError && error.status < 500 ? 'refused' : 'failed');
    }
  }
}

/** Kill (SIGKILL) and restart, at random moments: each app, and the server or one cluster node. */
async function injectFaults(system: LocalSystem, random: Random, deadline: number, cluster: boolean, faults: Record<string, number>, log: (line: string) => void) {
  while (Date.now() + 4_000 < deadline) {
    await sleep(random.int(1_500, 4_000));
    const target = random.pick([...APPS, cluster ? 'node' : 'restate-server'] as const);
    const down = random.int(200, 1_500);
    let name: string;
    if (target === 'node') {
      const index = random.int(0, system.nodes.length - 1);
      const node = system.nodes[index];
      if (!node) continue;
      name = `restate node n${index + 1}`;
      await node.kill();
      await sleep(down);
      await node.restart();
    } else if (target === 'restate-server') {
      name = 'restate-server';
      await system.server.kill();
      await sleep(down);
      await system.server.restart();
    } else {
      name = target;
      await system.app(target).process.kill();
      await sleep(down);
      await system.startApp(target);
    }
    faults[`SIGKILL ${name}`] = (faults[`SIGKILL ${name}`] ?? 0) + 1;
    log(`killed and restarted ${name} (down ${down} ms)`);
  }
}

async function takeSnapshot(system: LocalSystem, fakes: LocalFakes, eventIds: string[], acknowledged: Acknowledged[]): Promise<Snapshot> {
  const [ticketDb, userSessions, orders, tickets] = await Promise.all(
    ['TicketDb', 'UserSession', 'Order', 'Ticket'].map((service) => serviceState(system.adminUrl, service)),
  );
  const takenAt = Date.now();
  const seats = new Map<string, SeatRecord>();
  // A seat given back keeps its record (with its version) as `available`: only held and sold seats count here.
  for (const [key, state] of ticketDb ?? []) {
    const seat = state.seat as SeatRecord | { state: 'available' } | undefined;
    if (seat && seat.state !== 'available') seats.set(key, seat);
  }
  const carts = new Map<string, string[]>();
  const buyers = new Map<string, BuyerRecord>();
  for (const [key, state] of userSessions ?? []) {
    if (Array.isArray(state.cart)) carts.set(key, (state.cart as { ticketId: string }[]).map((item) => item.ticketId));
    if (state.orders || state.bought) {
      buyers.set(key, { orders: (state.orders as BuyerRecord['orders'] | undefined) ?? [], bought: (state.bought as BuyerRecord['bought'] | undefined) ?? {} });
    }
  }
  const availability = new Map<string, string>();
  for (const eventId of eventIds) {
    const view = await clients.connect({ url: system.ingressUrl }).client(Event, eventId).availability();
    for (const section of view.sections) {
      for (const row of section.rows) [...row.seats].forEach((state, i) => availability.set(seatId({ eventId, row: row.label, number: i + 1 }), state));
    }
  }
  return {
    takenAt,
    seats,
    carts,
    orders: new Map([...(orders ?? [])].map(([key, state]) => [key, state.order as OrderRecordLite])),
    tickets: new Map([...(tickets ?? [])].map(([key, state]) => [key, state.ticket as { orderId: string; voided: boolean }])),
    ledger: fakes.stripe.ledger(),
    mailMessageIds: fakes.smtp.messages().map((mail) => mail.messageId),
    acknowledged,
    availability,
    buyers,
  };
}
