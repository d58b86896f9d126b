// Every driver model, registered for the kernel functions that call into drivers.

import { registerDriver } from './registry';
import type { DriverModel } from './model';
import { pass } from './pass';
import { sg } from './sg';
import { ch } from './ch';
import { enc } from './enc';
import { pt } from './pt';
import { sa } from './sa';

export const DRIVER_MODELS: readonly DriverModel[] = [pass, sg, ch, enc, pt, sa];
for (const d of DRIVER_MODELS) registerDriver(d);

export { driverModel, variantOf } from './registry';
export type { DriverModel, DriverVariantModel } from './model';
export { CH_HELPERS } from './ch';
export { SA_HELPERS } from './sa';
