import * as clients from '@restatedev/restate-sdk-clients';

/**
 * Calls through whichever ingress answers. Each logical operation carries one idempotency key, so retrying it after
 * a dropped connection (a killed server or node) attaches to the same invocation instead of running it again: the
 * way a real client should talk to the shop.
 */
export class ResilientIngress {
  private readonly ingresses: clients.Ingress[];
  retries = 0;

  constructor(urls: readonly string[], private readonly giveUpAfterMs: number) {
    this.ingresses = urls.map((url) => clients.connect({ url }));
  }

  /** Start at ingress number `preferred` (spreading clients over nodes), move on to the next when one drops. */
  async call<T>(
    operation: (ingress: clients.Ingress, opts: { idempotencyKey: string }) => Promise<T>,
    idempotencyKey: string,
    preferred = 0,
  ): Promise<T> {
    const deadline = Date.now() + this.giveUpAfterMs;
    let current = preferred;
    for (;;) {
      const ingress = this.ingresses[current % this.ingresses.length] as clients.Ingress;
      try {
        return await operation(ingress, { idempotencyKey });
      } catch (error) {
        // An HTTP answer from the shop (4xx) is an answer; anything else is the transport, worth another go.
        if (error instanceof clients.HttpCallError && error.status < 500) throw error;
        if (Date.now() > deadline) throw error;
        this.retries++;
        current++;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  }
}
