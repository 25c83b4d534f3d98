import { describe, expect, it } from 'vitest';
import { checkoutApp } from './services.js';

const valid = { STRIPE_API_KEY: 'sk_test_config', SMTP_HOST: '127.0.0.1' };

describe('checkout configuration', () => {
  it('takes the provider at a plain address, http for a test key as the local fake is', () => {
    expect(checkoutApp({ ...valid, STRIPE_BASE_URL: 'http://127.0.0.1:12111' }).config.STRIPE_BASE_URL).toBe('http://127.0.0.1:12111');
    expect(checkoutApp({ ...valid, STRIPE_API_KEY: 'sk_live_config' }).config.STRIPE_BASE_URL).toBe('https://api.stripe.com');
  });

  it('refuses a live key over plain http, and an address with a path the client would drop', () => {
    expect(() => checkoutApp({ ...valid, STRIPE_API_KEY: 'sk_live_config', STRIPE_BASE_URL: 'http://api.stripe.com' })).toThrow(/STRIPE_BASE_URL: a live STRIPE_API_KEY/);
    expect(() => checkoutApp({ ...valid, STRIPE_BASE_URL: 'https://proxy.example.com/stripe' })).toThrow(/STRIPE_BASE_URL: .*drop a path/);
    expect(() => checkoutApp({ ...valid, STRIPE_BASE_URL: 'ftp://api.stripe.com' })).toThrow(/STRIPE_BASE_URL/);
  });
});
