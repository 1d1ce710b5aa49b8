import { runDemo } from './demo';

// `npm run demo`: exits 0 only when every expectation held.
runDemo().then(
  (ok) => {
    process.exitCode = ok ? 0 : 1;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
