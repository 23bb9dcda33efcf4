// Preloaded into a hub process by a test (NODE_OPTIONS=--import): once the process writes a line
// matching SIGNAL_AFTER_LINE, its SIGTERM listeners run, there and then. The signal comes at a known
// point of start-up, whatever the machine's load, rather than whenever the test could send it.
const pattern = new RegExp(process.env.SIGNAL_AFTER_LINE);
const write = process.stdout.write.bind(process.stdout);
let signalled = false;
process.stdout.write = (chunk, ...rest) => {
  const written = write(chunk, ...rest);
  if (!signalled && pattern.test(String(chunk))) {
    signalled = true;
    process.emit("SIGTERM", "SIGTERM");
  }
  return written;
};
