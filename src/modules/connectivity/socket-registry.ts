// Every socket a probe opens is registered here, so that whatever happens (success, failure,
// deadline) the probe can destroy all of them, and so that none of them can crash the process
// with an unhandled 'error' event.
import type { Duplex } from 'node:stream';

const ignoreLateErrors = () => undefined;

export class SocketRegistry {
  private readonly sockets = new Set<Duplex>();

  track<T extends Duplex>(socket: T): T {
    socket.on('error', ignoreLateErrors);
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    return socket;
  }

  destroyAll(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }
}
