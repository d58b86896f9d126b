// The one extension point of the driver catalogue: run code with more drivers
// than the built-in ones. A driver is one model (see drivers/pass.ts); given
// here, it is known to the language, the editor's help, the checker and the
// explorer, with no other change.

import { runWithCatalogue } from './drivers/catalogue';
import type { DriverModel } from './drivers/model';
import { addDriverFunctions } from './functions';

/** Runs `fn` (synchronously) with `list` as the drivers in use, e.g. `[...DRIVERS, mine]`. */
export function withDrivers<T>(list: readonly DriverModel[], fn: () => T): T {
  addDriverFunctions(list);
  return runWithCatalogue(list, fn);
}
