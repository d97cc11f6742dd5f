import { strict as assert } from 'node:assert';
import { connect } from 'node:net';
import type { Meter } from '@opentelemetry/api';
import { gzipSync, deflateSync } from 'node:zlib';
import { CircuitOpenError, PermanentError, RetryableError } from '../../src/api';
import { ReceiverHttpServer, type ReceivedRequest, type Route, type HttpServerConfig } from '../../src/http';
import { receiverContext } from '../../src/testing';
import { send, splitAddress } from './http-client';

const TOKEN = 's3cret-t0ken-value';

interface Harness {
  server: ReceiverHttpServer;
  ctx: ReturnType<typeof receiverContext<unknown>>;
  seen: ReceivedRequest[];
  addr: string;
  fail: { err: unknown };
}

async function startServer(config: Partial<HttpServerConfig> = {}, extraRoutes: Route[] = []): Promise<Harness> {
  const ctx = receiverContext<unknown>({ id: 'test_http', config: {} });
  const seen: ReceivedRequest[] = [];
  const fail: { err: unknown } = { err: undefined };
  const routes: Route[] = [
    {
      method: 'POST',
      path: '/v1/echo',
      contentTypes: ['application/x-protobuf', 'application/json'],
      handler: async (req) => {
        if (fail.err !== undefined) throw fail.err;
        seen.push(req);
        return { status: 200, contentType: 'application/octet-stream', body: req.body };
      },
    },
    ...extraRoutes,
  ];
  const server = new ReceiverHttpServer(ctx, { endpoint: '127.0.0.1:0', max_request_body_size: '64KiB', ...config }, routes);
  await server.start();
  return { server, ctx, seen, addr: server.address(), fail };
}

const proto = { 'content-type': 'application/x-protobuf' };

describe('ReceiverHttpServer', () => {
  let h: Harness;
  afterEach(async () => h?.server.shutdown());

  it('binds 127.0.0.1 on an ephemeral port and hands the body to the route', async () => {
    h = await startServer();
    assert.match(h.addr, /^127\.0\.0\.1:\d+$/);
    assert.notEqual(splitAddress(h.addr)[1], 0);
    const res = await send({ address: h.addr, path: '/v1/echo?x=1', headers: { 'content-type': 'Application/X-Protobuf; charset=binary' }, body: 'hello' });
    assert.equal(res.status, 200);
    assert.equal(res.body.toString(), 'hello');
    assert.equal(h.seen[0]!.contentType, 'application/x-protobuf');
    assert.equal(h.seen[0]!.path, '/v1/echo');
  });

  it('decompresses gzip and deflate bodies', async () => {
    h = await startServer();
    const payload = Buffer.from('x'.repeat(10_000));
    for (const [enc, data] of [['gzip', gzipSync(payload)], ['deflate', deflateSync(payload)]] as const) {
      const res = await send({ address: h.addr, path: '/v1/echo', headers: { ...proto, 'content-encoding': enc }, body: data });
      assert.equal(res.status, 200, enc);
      assert.deepEqual(res.body, payload);
    }
  });

  it('hands encodings a route lists in rawEncodings to the handler undecoded, still bounded', async () => {
    const raw: Route = { method: 'POST', path: '/v1/raw', rawEncodings: ['snappy'], handler: async (req) => ({ status: 200, body: req.body }) };
    h = await startServer({}, [raw]);
    const res = await send({ address: h.addr, path: '/v1/raw', headers: { 'content-encoding': 'snappy' }, body: 'still-compressed' });
    assert.equal(res.status, 200);
    assert.equal(res.body.toString(), 'still-compressed');
    const big = await send({ address: h.addr, path: '/v1/raw', headers: { 'content-encoding': 'snappy' }, body: Buffer.alloc(65 * 1024) });
    assert.equal(big.status, 413);
  });

  it('answers 404 for an unknown path and 405 with Allow for a wrong method', async () => {
    h = await startServer();
    assert.equal((await send({ address: h.addr, path: '/nope', headers: proto, body: 'a' })).status, 404);
    const res = await send({ address: h.addr, path: '/v1/echo', method: 'GET' });
    assert.equal(res.status, 405);
    assert.equal(res.headers['allow'], 'POST');
    assert.equal(h.seen.length, 0);
  });

  it('answers 415 for an unlisted content-type and for an unknown content-encoding', async () => {
    h = await startServer();
    assert.equal((await send({ address: h.addr, path: '/v1/echo', headers: { 'content-type': 'text/plain' }, body: 'a' })).status, 415);
    const res = await send({ address: h.addr, path: '/v1/echo', headers: { ...proto, 'content-encoding': 'snappy' }, body: 'a' });
    assert.equal(res.status, 415);
    assert.equal(h.seen.length, 0);
  });

  it('answers 413 early from Content-Length without reading the body', async () => {
    h = await startServer();
    const res = await send({
      address: h.addr, path: '/v1/echo', partial: true,
      headers: { ...proto, 'content-length': String(10 * 1024 * 1024) }, body: Buffer.alloc(1024),
    });
    assert.equal(res.status, 413);
    assert.equal(h.seen.length, 0);
  });

  it('answers 413 while streaming a chunked body past the cap', async () => {
    h = await startServer();
    const res = await send({ address: h.addr, path: '/v1/echo', partial: true, headers: { ...proto, 'transfer-encoding': 'chunked' }, body: Buffer.alloc(70 * 1024) });
    assert.equal(res.status, 413);
    assert.equal(h.seen.length, 0);
  });

  it('answers 413 for a gzip bomb (small on the wire, huge decompressed)', async () => {
    h = await startServer();
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024));
    assert.ok(bomb.length < 64 * 1024);
    const before = process.memoryUsage().arrayBuffers;
    const res = await send({ address: h.addr, path: '/v1/echo', headers: { ...proto, 'content-encoding': 'gzip' }, body: bomb });
    assert.equal(res.status, 413);
    assert.match(res.body.toString(), /decompressed/);
    // The 50 MiB were never materialized (generous bound: other buffers come and go).
    assert.ok(process.memoryUsage().arrayBuffers - before < 20 * 1024 * 1024);
    assert.equal(h.seen.length, 0);
  });

  it('answers 400 for a corrupt gzip body', async () => {
    h = await startServer();
    const res = await send({ address: h.addr, path: '/v1/echo', headers: { ...proto, 'content-encoding': 'gzip' }, body: 'not gzip at all' });
    assert.equal(res.status, 400);
  });

  it('requires the bearer token: 401 without and with a wrong one, token never logged', async () => {
    h = await startServer({ auth: { bearer_token: TOKEN } });
    const none = await send({ address: h.addr, path: '/v1/echo', headers: proto, body: 'a' });
    assert.equal(none.status, 401);
    assert.match(String(none.headers['www-authenticate']), /^Bearer/);
    const wrong = await send({ address: h.addr, path: '/v1/echo', headers: { ...proto, authorization: `Bearer ${TOKEN}x` }, body: 'a' });
    assert.equal(wrong.status, 401);
    const basic = await send({ address: h.addr, path: '/v1/echo', headers: { ...proto, authorization: `Basic ${TOKEN}` }, body: 'a' });
    assert.equal(basic.status, 401);
    const ok = await send({ address: h.addr, path: '/v1/echo', headers: { ...proto, authorization: `bearer ${TOKEN}` }, body: 'a' });
    assert.equal(ok.status, 200);
    for (const r of [none, wrong, basic]) assert.ok(!r.body.toString().includes(TOKEN));
    h.fail.err = new Error(`boom with ${TOKEN.slice(0, 3)}`);
    await send({ address: h.addr, path: '/v1/echo', headers: { ...proto, authorization: `Bearer ${TOKEN}` }, body: 'a' });
    assert.ok(h.ctx.logger.lines.length > 0);
    assert.ok(!JSON.stringify(h.ctx.logger.lines).includes(TOKEN));
  });

  it('refuses with 503 and Retry-After in emergency mode before reading the body', async () => {
    h = await startServer();
    h.ctx.host.setMode('emergency');
    const res = await send({ address: h.addr, path: '/v1/echo', headers: proto, body: 'a' });
    assert.equal(res.status, 503);
    assert.ok(Number(res.headers['retry-after']) >= 1);
    assert.equal(h.seen.length, 0);
    h.ctx.host.setMode('normal');
    assert.equal((await send({ address: h.addr, path: '/v1/echo', headers: proto, body: 'a' })).status, 200);
  });

  it('maps handler errors: back-pressure 429, breaker 503, bad data 400, bugs 500 logged once', async () => {
    h = await startServer();
    const post = () => send({ address: h.addr, path: '/v1/echo', headers: proto, body: 'a' });
    h.fail.err = new RetryableError('queue full', { code: 'ERR_QUEUE_FULL', retryAfterMs: 2500 });
    let res = await post();
    assert.equal(res.status, 429);
    assert.equal(res.headers['retry-after'], '3');
    h.fail.err = new CircuitOpenError('exporter/x', 10_000);
    res = await post();
    assert.equal(res.status, 503);
    assert.equal(res.headers['retry-after'], '10');
    h.fail.err = new RetryableError('busy');
    res = await post();
    assert.equal(res.status, 429);
    assert.equal(res.headers['retry-after'], '1');
    h.fail.err = new PermanentError('bad points');
    res = await post();
    assert.equal(res.status, 400);
    assert.match(res.body.toString(), /bad points/);
    assert.equal(h.ctx.logger.lines.filter((l) => l.level === 'error').length, 0, 'transient and bad-data errors are not logged');
    h.fail.err = new TypeError('oops internal detail');
    res = await post();
    assert.equal(res.status, 500);
    assert.ok(!res.body.toString().includes('internal detail'));
    await post();
    assert.equal(h.ctx.logger.lines.filter((l) => l.level === 'error').length, 1);
  });

  it('uses the route error body for errors on that route', async () => {
    const route: Route = {
      method: 'POST', path: '/v1/custom', contentTypes: ['application/json'],
      handler: async () => { throw new PermanentError('nope'); },
      errorBody: (status, message, contentType) => ({ status, contentType: 'application/json', body: JSON.stringify({ code: status, message, contentType }) }),
    };
    h = await startServer({}, [route]);
    const res = await send({ address: h.addr, path: '/v1/custom', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(res.status, 400);
    assert.deepEqual(JSON.parse(res.body.toString()), { code: 400, message: 'nope', contentType: 'application/json' });
  });

  it('survives malformed requests while a concurrent client keeps succeeding', async () => {
    h = await startServer();
    let stop = false;
    let good = 0;
    const goodClient = (async () => {
      while (!stop) {
        const res = await send({ address: h.addr, path: '/v1/echo', headers: proto, body: 'ok' });
        assert.equal(res.status, 200);
        good++;
      }
    })();
    const [host, port] = splitAddress(h.addr);
    const garbage = ['GARBAGE\r\n\r\n', 'POST /v1/echo HTTP/1.1\r\nContent-Length: abc\r\n\r\n', 'POST /v1/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', `POST /v1/echo HTTP/1.1\r\nX: ${'a'.repeat(20_000)}\r\n\r\n`];
    const answers: string[] = [];
    for (const g of garbage) {
      answers.push(await new Promise<string>((resolve) => {
        const sock = connect(port, host, () => sock.end(g));
        let text = '';
        sock.on('data', (d) => (text += d.toString()));
        sock.on('error', () => resolve(text));
        sock.on('close', () => resolve(text));
      }));
    }
    stop = true;
    await goodClient;
    assert.ok(good > 0);
    assert.match(answers[0]!, /^HTTP\/1\.1 400/);
    assert.match(answers[3]!, /^HTTP\/1\.1 431/);
    for (const a of answers) assert.match(a, /^HTTP\/1\.1 4\d\d/);
  });

  it('counts requests by status in nissa_receiver_http_requests_total', async () => {
    const added: { name: string; status: string }[] = [];
    const meter = {
      createCounter: (name: string) => ({ add: (_n: number, attrs: { status: string }) => added.push({ name, status: attrs.status }) }),
    } as unknown as Meter;
    const ctx = { ...receiverContext<unknown>({ config: {} }), meter };
    const server = new ReceiverHttpServer(ctx, { endpoint: '127.0.0.1:0', max_request_body_size: 1024 }, [
      { method: 'POST', path: '/x', handler: async () => ({ status: 204 }) },
    ]);
    await server.start();
    try {
      await send({ address: server.address(), path: '/x', body: 'a' });
      await send({ address: server.address(), path: '/nope', body: 'a' });
    } finally {
      await server.shutdown();
    }
    assert.deepEqual(added, [{ name: 'nissa_receiver_http_requests_total', status: '204' }, { name: 'nissa_receiver_http_requests_total', status: '404' }]);
  });

  it('shutdown closes the listener and is idempotent', async () => {
    h = await startServer();
    const addr = h.addr;
    await h.server.shutdown();
    await h.server.shutdown();
    await assert.rejects(send({ address: addr, path: '/v1/echo', headers: proto, body: 'a' }), /ECONNREFUSED/);
  });

  it('fails start with a clear message when the port is taken', async () => {
    h = await startServer();
    const other = new ReceiverHttpServer(receiverContext<unknown>({ config: {} }), { endpoint: h.addr, max_request_body_size: 1024 }, []);
    await assert.rejects(other.start(), /cannot listen on 127\.0\.0\.1:\d+: .*EADDRINUSE/);
  });
});
