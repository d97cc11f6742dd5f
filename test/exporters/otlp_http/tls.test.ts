import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { eventBatch, RetryableError } from '../../../src/api';
import { createTestContext, pluginConfig } from '../../../src/testing';
import { plugin } from '../../../exporters/otlp_http';
import { makeTlsFixture, type TlsFixture } from '../../http/tls-fixture';
import { sampleEvents } from '../../otlp/encode/sample-events';
import { rejection, startExporter, type StartedExporter } from './helpers';

describe('otlp_http exporter over https', function () {
  this.timeout(20_000);
  let tls: TlsFixture;
  let server: Server;
  let base: string;
  let received = 0;
  let started: StartedExporter | undefined;

  before(async () => {
    tls = makeTlsFixture();
    // Mutual TLS: the server wants a client certificate signed by the test CA.
    server = createServer({ key: tls.read(tls.serverKey), cert: tls.read(tls.serverCert), ca: tls.read(tls.caCert), requestCert: true, rejectUnauthorized: true }, (req, res) => {
      req.resume();
      req.on('end', () => {
        received++;
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    await started?.exporter.shutdown?.();
    started = undefined;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    tls.remove();
  });

  it('verifies the server with ca_file and presents the client certificate', async () => {
    started = await startExporter({ endpoint: base, tls: { ca_file: tls.caCert, cert_file: tls.clientCert, key_file: tls.clientKey } });
    const before = received;
    await started.exporter.consume(eventBatch(sampleEvents()));
    assert.equal(received, before + 1);
  });

  it('refuses a server certificate it cannot verify unless insecure_skip_verify is set', async () => {
    started = await startExporter({ endpoint: base, tls: { cert_file: tls.clientCert, key_file: tls.clientKey } });
    const err = await rejection(started.exporter.consume(eventBatch(sampleEvents())));
    assert.ok(err instanceof RetryableError);
    await started.exporter.shutdown?.();
    started = await startExporter({ endpoint: base, tls: { cert_file: tls.clientCert, key_file: tls.clientKey, insecure_skip_verify: true } });
    const before = received;
    await started.exporter.consume(eventBatch(sampleEvents()));
    assert.equal(received, before + 1);
  });

  it('refuses a client certificate without its key at create', () => {
    const config = pluginConfig(plugin, { endpoint: base, tls: { cert_file: tls.clientCert } });
    assert.throws(() => plugin.create(createTestContext({ kind: 'exporter', config })), /cert_file and tls.key_file/);
  });
});
