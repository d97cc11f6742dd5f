/** The shared HTTP client of exporters (OTLP/HTTP, Prometheus remote write...). */
export * from './http-client';
export * from './retry-after';
export * from './classify';
export * from './tls-client';
export * from './config-schema';
