// A mail server in a process of its own that accepts every mail and counts it, for benches that send many.
// Started by startSmtpSink(); prints "port <n>" when it listens and "received <n>" when asked with SIGUSR2.
import { SMTPServer } from 'smtp-server';

let received = 0;
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  size: 10 * 1024 * 1024,
  onData(stream, _session, callback) {
    stream.on('data', () => {});
    stream.on('end', () => {
      received++;
      callback();
    });
  },
});
server.listen(0, '127.0.0.1', () => {
  const address = server.server.address();
  process.stdout.write(`port ${typeof address === 'object' && address ? address.port : 0}\n`);
});
process.on('SIGUSR2', () => process.stdout.write(`received ${received}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
