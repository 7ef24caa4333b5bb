// A loopback TCP proxy a test can cut: "the database went away" without
// stopping the PostgreSQL server other tests share. It also counts the
// connections it accepted (how often a client dialled).
import net from 'node:net';

export async function startTcpProxy(target: { host: string; port: number }) {
  const sockets = new Set<net.Socket>();
  let accepting = true;
  let accepted = 0;
  const server = net.createServer((client) => {
    if (!accepting) return client.destroy();
    accepted++;
    const upstream = net.connect(target.port, target.host);
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    /** Connections accepted so far. */
    get connections() {
      return accepted;
    },
    /** Drops every connection and refuses new ones. */
    cut() {
      accepting = false;
      for (const s of sockets) s.destroy();
      sockets.clear();
    },
    restore() {
      accepting = true;
    },
    close: () => new Promise<void>((resolve) => {
      accepting = false;
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
