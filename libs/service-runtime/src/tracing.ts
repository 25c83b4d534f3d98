import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { HooksProvider } from '@restatedev/restate-sdk';
import { openTelemetryHook } from '@restatedev/restate-sdk-opentelemetry';

export interface Tracing {
  /** Restate's OpenTelemetry hooks, for every service of the endpoint: one span per invocation attempt and ctx.run. */
  hooks: HooksProvider[];
  /** Send what is still buffered; called on shutdown. */
  flush(): Promise<void>;
}

/**
 * Traces to an OTLP/HTTP collector when `OTEL_EXPORTER_OTLP_ENDPOINT` is set (e.g. `http://collector:4318`), nothing
 * otherwise. Spans join the trace Restate started (W3C trace context travels with each invocation).
 */
export function setUpTracing(serviceName: string, endpoint: string | undefined): Tracing {
  if (!endpoint) return { hooks: [], flush: async () => undefined };
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${endpoint.replace(/\/$/, '')}/v1/traces` }), { scheduledDelayMillis: 500 })],
  });
  provider.register();
  return {
    hooks: [openTelemetryHook({ tracer: provider.getTracer(serviceName) })],
    flush: () => provider.forceFlush(),
  };
}
