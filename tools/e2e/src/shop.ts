import * as clients from '@restatedev/restate-sdk-clients';
import { Event, EventDefinition, seatId, TicketDb, UserSession, type EventDefinitionInput } from '@tickets/contracts';
import { startLocalFakes, type LocalFakes } from '@tickets/fakes';
import { LocalSystem, serviceState, type SystemOptions } from '@tickets/local-restate';

export const ADMIN_TOKEN = 'e2e-admin-token-0123456789';
export const ADMIN = { authorization: `Bearer ${ADMIN_TOKEN}` };

/** An event on sale for a test file, handing out a fresh seat to every caller. */
export interface TestEvent {
  eventId: string;
  definition: EventDefinition;
  /** The next unused seat, walking row by row. */
  seat(): string;
  seats(count: number): string[];
}

const ROW_LABELS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** A running shop for one test file: real restate-server, three app processes, the typed ingress client. */
export interface Shop {
  system: LocalSystem;
  /** The Stripe-shaped provider (with its ledger) and the SMTP sink (with what it received). */
  fakes: LocalFakes;
  ingress: clients.Ingress;
  user(userId: string): ReturnType<typeof userClient>;
  seat(ticketId: string): ReturnType<typeof seatClient>;
  event(eventId: string): ReturnType<typeof eventClient>;
  /** Create an event (20 rows of 100 seats at 40 USD unless overridden) and put it on sale. */
  openEvent(overrides?: Partial<EventDefinitionInput>, eventId?: string): Promise<TestEvent>;
  /** Raw ingress request, for what the typed client cannot send (bad JSON, wrong types, private handlers). */
  post(path: string, body?: string, headers?: Record<string, string>): Promise<{ status: number; text: string }>;
  /** Engine state of every object of the shop, to prove a request changed nothing. */
  snapshot(): Promise<string>;
  /** Start again any app a test left down (one that failed between killing an app and restarting it). */
  restartStopped(): Promise<void>;
  stop(): Promise<void>;
}

const userClient = (ingress: clients.Ingress, userId: string) => ingress.client(UserSession, userId);
const seatClient = (ingress: clients.Ingress, ticketId: string) => ingress.client(TicketDb, ticketId);
const eventClient = (ingress: clients.Ingress, eventId: string) => ingress.client(Event, eventId);

export function testEventDefinition(overrides: Partial<EventDefinitionInput> = {}): EventDefinition {
  return EventDefinition.parse({
    name: 'Test concert',
    venue: 'Test hall',
    startsAt: '2030-01-01T20:00:00Z',
    currency: 'USD',
    sections: [{ id: 'main', name: 'Main', priceCents: 4000, rows: [...ROW_LABELS.slice(0, 20)].map((label) => ({ label, seats: 100 })) }],
    ...overrides,
  });
}

export async function startShop(options: SystemOptions = {}): Promise<Shop> {
  const fakes = await startLocalFakes();
  const system = await LocalSystem.start({ ...options, appEnv: { ADMIN_TOKEN, ...fakes.appEnv, ...options.appEnv } }).catch(async (error: unknown) => {
    await fakes.close();
    throw error;
  });
  const ingress = clients.connect({ url: system.ingressUrl });
  return {
    system,
    fakes,
    ingress,
    user: (userId) => userClient(ingress, userId),
    seat: (ticketId) => seatClient(ingress, ticketId),
    event: (eventId) => eventClient(ingress, eventId),
    async openEvent(overrides, eventId = uniqueId('ev')) {
      const definition = testEventDefinition(overrides);
      await eventClient(ingress, eventId).create(definition, clients.rpc.opts({ headers: ADMIN }));
      await eventClient(ingress, eventId).open(clients.rpc.opts({ headers: ADMIN }));
      const all = definition.sections.flatMap((section) =>
        section.rows.flatMap((row) => Array.from({ length: row.seats }, (_, i) => seatId({ eventId, row: row.label, number: i + 1 }))),
      );
      let next = 0;
      const seat = () => {
        const id = all[next++];
        if (!id) throw new Error(`event ${eventId} has no seats left for tests`);
        return id;
      };
      return { eventId, definition, seat, seats: (count) => Array.from({ length: count }, seat) };
    },
    async post(path, body, headers = body === undefined ? {} : { 'content-type': 'application/json' }) {
      const response = await fetch(`${system.ingressUrl}${path}`, { method: 'POST', body, headers });
      return { status: response.status, text: await response.text() };
    },
    async snapshot() {
      const services = await Promise.all(['TicketDb', 'UserSession', 'Event', 'RowAvailability', 'Order', 'Ticket'].map((name) => serviceState(system.adminUrl, name)));
      return JSON.stringify(services.map((byKey) => [...byKey.entries()].sort(([a], [b]) => a.localeCompare(b))));
    },
    async restartStopped() {
      for (const app of system.apps.values()) if (!app.process.running) await system.startApp(app.name);
    },
    stop: async () => {
      await system.stop();
      await fakes.close();
    },
  };
}

/** A unique seat or user id per test, so tests in one file never share state. */
let counter = 0;
export const uniqueId = (prefix: string): string => `${prefix}-${Date.now().toString(36)}-${(counter++).toString(36)}`;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
