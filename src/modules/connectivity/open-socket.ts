// Opens the TCP (and, for implicit TLS, TLS) connection to the checked address and moves the
// probe through the connect and tls stages as the socket gets there.
import net from 'node:net';
import tls from 'node:tls';
import type { ProbeContext } from './probe-context.js';
import { tlsConnectOptions } from './tls-settings.js';
import { summariseTls } from './tls-summary.js';

/** Returns the socket at once; onReady runs when it is connected (and the handshake is done). */
export function openSocket(ctx: ProbeContext, implicitTls: boolean, onReady: () => void): net.Socket {
  const { dial, run, sockets } = ctx;
  run.enter('connect');
  const socket = implicitTls
    ? tls.connect({ ...tlsConnectOptions(dial, ctx.secureContext), port: ctx.target.port })
    : net.connect({ host: dial.address, port: ctx.target.port });
  sockets.track(socket);
  socket.setNoDelay(true);
  socket.once('connect', () => {
    run.enter(implicitTls ? 'tls' : 'greeting');
    if (!implicitTls) onReady();
  });
  if (socket instanceof tls.TLSSocket) {
    socket.once('secureConnect', () => {
      run.recordTls(summariseTls(socket));
      run.enter('greeting');
      onReady();
    });
  }
  return socket;
}

/** Wraps a connected plain socket in TLS after STARTTLS, as the tls stage. */
export function startTls(ctx: ProbeContext, plain: net.Socket, onSecure: () => void): tls.TLSSocket {
  ctx.run.enter('tls');
  const secure = tls.connect({ ...tlsConnectOptions(ctx.dial, ctx.secureContext), socket: plain }, () => {
    ctx.run.recordTls(summariseTls(secure));
    onSecure();
  });
  return ctx.sockets.track(secure);
}
