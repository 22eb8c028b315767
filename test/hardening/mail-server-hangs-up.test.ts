// A mail server that closes the connection in the middle of the login: the probe reports a
// classified failure at the auth stage at once (no crash, no wait for the deadline).
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConnectivityProbe } from '../../src/modules/connectivity/probe.js';
import { CONNECTIVITY_ERROR_CODES } from '../../src/modules/connectivity/types.js';
import { loopbackOptions, passwordTarget } from '../connectivity/probe-helpers.js';

/** Greets and answers capabilities, then hangs up when the client tries to log in. */
function startHangUpServer(greeting: string, reply: (line: string) => string | 'hang up'): Promise<{ port: number; stop(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.once('close', () => sockets.delete(socket));
    socket.write(greeting);
    socket.on('data', (chunk) => {
      for (const line of chunk.toString('latin1').split('\r\n').filter(Boolean).slice(0, 20)) {
        const answer = reply(line);
        if (answer === 'hang up') return void socket.destroy();
        socket.write(answer);
      }
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as net.AddressInfo).port,
        stop: () => new Promise<void>((done) => {
          for (const socket of sockets) socket.destroy();
          server.close(() => done());
        }),
      }),
    ),
  );
}

describe('a mail server that hangs up during the login', () => {
  let imap: Awaited<ReturnType<typeof startHangUpServer>>;
  let smtp: Awaited<ReturnType<typeof startHangUpServer>>;
  beforeAll(async () => {
    imap = await startHangUpServer('* OK ready\r\n', (line) => {
      const [tag, command] = line.split(' ');
      if (/^CAPABILITY$/i.test(command ?? '')) return `* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n${tag} OK done\r\n`;
      if (/^ID$/i.test(command ?? '')) return `${tag} OK done\r\n`;
      return 'hang up';
    });
    smtp = await startHangUpServer('220 ready ESMTP\r\n', (line) =>
      /^EHLO/i.test(line) ? '250-hello\r\n250 AUTH PLAIN LOGIN\r\n' : 'hang up',
    );
  });
  afterAll(async () => {
    await imap?.stop();
    await smtp?.stop();
  });

  it.each([
    ['imap', () => imap.port],
    ['smtp', () => smtp.port],
  ] as const)('%s: a classified failure at the auth stage, well before the deadline', async (providerKind, port) => {
    const started = Date.now();
    const result = await runConnectivityProbe(
      passwordTarget({ providerKind, port: port(), securityMode: 'none' }),
      loopbackOptions({ timeoutMs: 5000, allowInsecureTransport: true }),
    );
    expect(result.ok).toBe(false);
    expect(result.stage).toBe('auth');
    expect(CONNECTIVITY_ERROR_CODES).toContain(result.error?.code);
    expect(result.error?.code).not.toBe('TIMEOUT');
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
