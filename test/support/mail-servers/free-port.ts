// Asks the kernel for a free TCP port on an address. For servers that cannot listen on port 0
// themselves (Dovecot): the port can be taken by someone else before the server binds it, so
// callers must be ready to retry.
import net from 'node:net';

export function findFreePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port assigned'));
      });
    });
  });
}
