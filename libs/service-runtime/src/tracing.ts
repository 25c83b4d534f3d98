import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { Context } from '@opentelemetry/api';
import { BatchSpanProcessor, NodeTracerProvider, type ReadableSpan, type Span, type SpanProcessor } from '@opentelemetry/sdk-trace-node';
import type { HooksProvider } from '@restatedev/restate-sdk';
import { openTelemetryHook } from '@restatedev/restate-sdk-opentelemetry';
import { maskTargets } from './redact.js';

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
export function setUpTracing(serviceName: string, endpoint: string | undefined, secretKeyed: ReadonlySet<string> = new Set()): Tracing {
  if (!endpoint) return { hooks: [], flush: async () => undefined };
  const exporter = new BatchSpanProcessor(new OTLPTraceExporter({ url: `${endpoint.replace(/\/$/, '')}/v1/traces` }), { scheduledDelayMillis: 500 });
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    spanProcessors: [secretKeyed.size > 0 ? new MaskingSpanProcessor(exporter, secretKeyed) : exporter],
  });
  provider.register();
  return {
    hooks: [openTelemetryHook({ tracer: provider.getTracer(serviceName) })],
    flush: () => provider.forceFlush(),
  };
}

/**
 * Masks credential keys in what the SDK's hook names a span by (`attempt Ticket/<code>/checkIn`, and the same
 * target as an attribute) before the span goes anywhere.
 */
class MaskingSpanProcessor implements SpanProcessor {
  constructor(
    private readonly next: SpanProcessor,
    private readonly secretKeyed: ReadonlySet<string>,
  ) {}

  onStart(span: Span, parentContext: Context): void {
    span.updateName(maskTargets(span.name, this.secretKeyed));
    const target = span.attributes[TARGET];
    if (typeof target === 'string') span.setAttribute(TARGET, maskTargets(target, this.secretKeyed));
    this.next.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    this.next.onEnd(span);
  }

  forceFlush(): Promise<void> {
    return this.next.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.next.shutdown();
  }
}

const TARGET = 'restate.invocation.target';
