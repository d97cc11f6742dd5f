/** The shared HTTP server of receivers (OTLP, Prometheus remote write, Nissa...). */
export * from './server-config';
export * from './receiver-server';
export * from './errors-to-http';
