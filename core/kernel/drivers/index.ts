// The driver models and their catalogue.

export { DRIVERS, drivers, driverNames, findDriver, driverModel, variantOf, deviceDriver, type DriverName } from './catalogue';
export { VARIANTS, defineDriver, type DriverModel, type DriverVariantModel, type Variant } from './model';
