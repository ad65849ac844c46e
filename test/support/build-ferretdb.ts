import { ensureFerretdbBinary, ferretdbBinaryPath, isGoAvailable } from './ferretdb.js';

/**
 * Builds the FerretDB binary the Mongo store tests start, so that CI pays the build before
 * the test run: `npx tsx test/support/build-ferretdb.ts`. Does nothing when the binary is
 * already built; prints one line and exits 0 when Go is missing (those tests then skip).
 */
if (!isGoAvailable()) {
  console.log('build-ferretdb: no "go" on PATH; the MongoDB store tests will skip unless MONGODB_URI is set');
} else {
  await ensureFerretdbBinary({ log: (line) => console.log(`build-ferretdb: ${line}`) });
  console.log(`build-ferretdb: ${ferretdbBinaryPath}`);
}
