import path from 'node:path';
import { CatalogError, loadCatalog } from '../catalog/load.js';
import { ConfigError, loadConfig } from '../config/config.js';

/**
 * `npm run check-flows [office-folder]`: validates an office's content without starting
 * the bot. Exits 1 and lists every problem when the content is invalid.
 */
async function checkFlows(): Promise<void> {
  const config = loadConfig();
  const officeDir = process.argv[2] ? path.resolve(process.argv[2]) : config.officeDir;
  const catalog = await loadCatalog(officeDir);
  console.log(`${officeDir}: valid (${catalog.services.length} services, ${catalog.officers.officers.length} officers)`);
}

checkFlows().catch((error: unknown) => {
  if (error instanceof CatalogError || error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error(error);
  }
  process.exit(1);
});
