// Passes a child's output through unchanged while watching it for a text the child prints but does not fail on.

/** jest's words when a worker did not end within workerGracefulExitTimeout (jest.config.js) and was killed: a test
 * left something running. jest prints them and still exits 0. */
export const JEST_FORCE_EXIT = 'A worker process has failed to exit gracefully';

/** Writes each chunk of `stream` to `out` as it comes; the returned function tells whether `text` went by, also when
 * split across chunks. */
export function passThroughWatching(stream, out, text) {
  let tail = '';
  let seen = false;
  stream.on('data', (chunk) => {
    out.write(chunk);
    // latin1 maps each byte to one character: a chunk boundary inside a UTF-8 sequence cannot hide an ASCII text.
    const window = tail + Buffer.from(chunk).toString('latin1');
    seen ||= window.includes(text);
    tail = window.slice(-(text.length - 1));
  });
  return () => seen;
}
