import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedSpan {
  service: string;
  name: string;
  traceId: string;
  attributes: Record<string, string>;
}

export interface OtlpReceiver {
  url: string;
  /** Spans received as OTLP/JSON (what the apps' exporter sends). */
  spans(): ReceivedSpan[];
  /** Raw bodies received as OTLP/protobuf (what restate-server sends), for a look at their strings. */
  protobufPayloads(): Buffer[];
  close(): Promise<void>;
}

interface OtlpJson {
  resourceSpans?: {
    resource?: { attributes?: { key: string; value: { stringValue?: string } }[] };
    scopeSpans?: { spans?: { name: string; traceId: string; attributes?: { key: string; value: { stringValue?: string; intValue?: string } }[] }[] }[];
  }[];
}

/** An OTLP/HTTP trace collector that keeps everything in memory, for the tracing test. */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const protobuf: Buffer[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      if ((request.headers['content-type'] ?? '').includes('json')) {
        const parsed = JSON.parse(body.toString()) as OtlpJson;
        for (const resourceSpans of parsed.resourceSpans ?? []) {
          const service = resourceSpans.resource?.attributes?.find((a) => a.key === 'service.name')?.value.stringValue ?? '?';
          for (const scope of resourceSpans.scopeSpans ?? []) {
            for (const span of scope.spans ?? []) {
              const attributes = Object.fromEntries((span.attributes ?? []).map((a) => [a.key, a.value.stringValue ?? a.value.intValue ?? '']));
              spans.push({ service, name: span.name, traceId: span.traceId, attributes });
            }
          }
        }
      } else {
        protobuf.push(body);
      }
      response.writeHead(200, { 'content-type': request.headers['content-type'] ?? 'application/json' });
      response.end((request.headers['content-type'] ?? '').includes('json') ? '{}' : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans: () => [...spans],
    protobufPayloads: () => [...protobuf],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
