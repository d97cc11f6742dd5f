import { strict as assert } from 'node:assert';
import { ReceiverHttpServer, type Route } from '../../src/http';
import { receiverContext } from '../../src/testing';
import { send } from './http-client';
import { makeTlsFixture, type TlsFixture } from './tls-fixture';

const route: Route = { method: 'POST', path: '/v1/x', handler: async (req) => ({ status: 200, body: req.body }) };

describe('ReceiverHttpServer over TLS', function () {
  this.timeout(20_000);
  let fx: TlsFixture;
  let server: ReceiverHttpServer | undefined;
  before(() => (fx = makeTlsFixture()));
  after(() => fx.remove());
  afterEach(async () => server?.shutdown());

  it('serves HTTPS with a certificate the client trusts', async () => {
    server = new ReceiverHttpServer(receiverContext<unknown>({ config: {} }), {
      endpoint: '127.0.0.1:0', max_request_body_size: '1MiB', tls: { cert_file: fx.serverCert, key_file: fx.serverKey },
    }, [route]);
    await server.start();
    const res = await send({ address: server.address(), path: '/v1/x', body: 'secure', tls: { ca: fx.read(fx.caCert) } });
    assert.equal(res.status, 200);
    assert.equal(res.body.toString(), 'secure');
    // A client that does not trust the CA fails the handshake.
    await assert.rejects(send({ address: server.address(), path: '/v1/x', body: 'x', tls: { ca: Buffer.from('') } }));
  });

  it('requires a client certificate signed by client_ca_file (mutual TLS)', async () => {
    server = new ReceiverHttpServer(receiverContext<unknown>({ config: {} }), {
      endpoint: '127.0.0.1:0', max_request_body_size: '1MiB',
      tls: { cert_file: fx.serverCert, key_file: fx.serverKey, client_ca_file: fx.caCert },
    }, [route]);
    await server.start();
    const ca = fx.read(fx.caCert);
    await assert.rejects(send({ address: server.address(), path: '/v1/x', body: 'x', tls: { ca } }));
    const res = await send({
      address: server.address(), path: '/v1/x', body: 'mtls',
      tls: { ca, cert: fx.read(fx.clientCert), key: fx.read(fx.clientKey) },
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.toString(), 'mtls');
  });
});
