/**
 * The working-time calendar: holiday files (libur nasional and cuti bersama from the
 * SKB 3 Menteri), office hours, and deadlines counted in office hours or working days.
 */
export { durationSpecSchema, durationUnits, type DurationSpec, type DurationUnit } from './duration-spec.js';
export { formatDeadline } from './format-deadline.js';
export {
  holidayFileStatuses,
  holidayTypes,
  holidayYearSchema,
  isoDateSchema,
  type Holiday,
  type HolidayAmendment,
  type HolidayDecree,
  type HolidayFileStatus,
  type HolidayType,
  type HolidayYear,
} from './holiday-schema.js';
export { HolidayDataError, loadHolidayCalendar, type HolidayFileIssue } from './load-holiday-calendar.js';
export { weekdayNames, type OfficePeriod, type WeekdayName, type WeeklyOfficeHours } from './office-hours.js';
export {
  WorkingCalendar,
  type CalendarWarning,
  type WorkingCalendarConfig,
  type YearStatus,
} from './working-calendar.js';
