import * as clients from '@restatedev/restate-sdk-clients';
import { TicketDb, UserSession } from '@tickets/contracts';
import { LocalSystem, serviceState, type SystemOptions } from '@tickets/local-restate';

/** A running shop for one test file: real restate-server, three app processes, the typed ingress client. */
export interface Shop {
  system: LocalSystem;
  ingress: clients.Ingress;
  user(userId: string): ReturnType<typeof userClient>;
  seat(ticketId: string): ReturnType<typeof seatClient>;
  /** Raw ingress request, for what the typed client cannot send (bad JSON, wrong types, private handlers). */
  post(path: string, body?: string, headers?: Record<string, string>): Promise<{ status: number; text: string }>;
  /** Engine state of every TicketDb and UserSession key, to prove a request changed nothing. */
  snapshot(): Promise<string>;
  stop(): Promise<void>;
}

const userClient = (ingress: clients.Ingress, userId: string) => ingress.client(UserSession, userId);
const seatClient = (ingress: clients.Ingress, ticketId: string) => ingress.client(TicketDb, ticketId);

export async function startShop(options: SystemOptions = {}): Promise<Shop> {
  const system = await LocalSystem.start(options);
  const ingress = clients.connect({ url: system.ingressUrl });
  return {
    system,
    ingress,
    user: (userId) => userClient(ingress, userId),
    seat: (ticketId) => seatClient(ingress, ticketId),
    async post(path, body, headers = body === undefined ? {} : { 'content-type': 'application/json' }) {
      const response = await fetch(`${system.ingressUrl}${path}`, { method: 'POST', body, headers });
      return { status: response.status, text: await response.text() };
    },
    async snapshot() {
      const services = await Promise.all(['TicketDb', 'UserSession'].map((name) => serviceState(system.adminUrl, name)));
      return JSON.stringify(services.map((byKey) => [...byKey.entries()].sort(([a], [b]) => a.localeCompare(b))));
    },
    stop: () => system.stop(),
  };
}

/** A unique seat or user id per test, so tests in one file never share state. */
let counter = 0;
export const uniqueId = (prefix: string): string => `${prefix}-${Date.now().toString(36)}-${(counter++).toString(36)}`;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
