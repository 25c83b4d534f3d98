export * from './ids.js';
export * from './money.js';
export * from './ticket-db.js';
export * from './checkout.js';
export * from './user-session.js';
export * from './event.js';
