// Polls a port until a server sends the expected greeting, bounded in attempts and time.
import net from 'node:net';

function readGreetingOnce(host: string, port: number, prefix: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    let received = '';
    const finish = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.on('error', () => finish(false));
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      if (received.includes('\n')) finish(received.startsWith(prefix));
    });
  });
}

export async function waitForGreeting(host: string, port: number, prefix: string, totalMs = 5000): Promise<void> {
  const deadline = Date.now() + totalMs;
  for (let attempt = 0; attempt < 200 && Date.now() < deadline; attempt++) {
    if (await readGreetingOnce(host, port, prefix, 500)) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no "${prefix}" greeting from ${host}:${port} within ${totalMs} ms`);
}
