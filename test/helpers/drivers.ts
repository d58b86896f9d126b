// Driver lists for tests, read from the catalogue: a test about "every driver"
// or "every racy driver" covers a driver added to the catalogue with no change.

import { DRIVERS, type DriverName } from '../../core/kernel/drivers';

/** Every built-in driver, in the catalogue's order. */
export const ALL_DRIVERS: readonly DriverName[] = DRIVERS.map((d) => d.name);

/** Drivers whose before-fix variant has the devfs close race (each has a race sample pair). */
export const RACY_DRIVERS: readonly DriverName[] = DRIVERS.filter((d) => d.racyBeforeFix).map((d) => d.name);

/** Drivers whose after-fix variant destroys its cdev and drops the node's reference in a devgonecb. */
export const DEVGONECB_DRIVERS: readonly DriverName[] = DRIVERS.filter((d) => d.variants['after-fix'].devgonecb).map((d) => d.name);
