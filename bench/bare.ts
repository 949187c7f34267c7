// The baseline: a bare Fastify JSON route, measured in the same run as the platform.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/json', async () => ({ hello: 'world' }));
app.post('/json', async () => ({ hello: 'world' }));
await app.listen({ host: '127.0.0.1', port: Number(process.argv[2] ?? 0) });
process.stdout.write(`READY ${(app.server.address() as { port: number }).port}\n`);
