// The registers on paper and in Excel, and the printable verification report.
export {
  readRegister,
  resolvePeriod,
  splitToPlaces,
  OUTGOING_COLUMNS,
  INCOMING_COLUMNS,
  REGISTER_TITLES,
  type ReadRegisterOptions,
  type RegisterCell,
  type RegisterColumn,
  type RegisterKind,
  type RegisterPeriod,
  type RegisterSheet,
} from './sheet.js';
export { printRegister, cellText, type PrintRegisterOptions } from './print.js';
export { exportRegister, HEADER_ROW, type ExportRegisterOptions } from './excel.js';
export { printVerificationReport, reportItems, type VerificationReportOptions } from './verification-report.js';
