/** The current calendar month in UTC, "YYYY-MM": statements are kept per UTC month (docs/billing.md). */
export function currentMonth(now = new Date()): string {
  return now.toISOString().slice(0, 7);
}

/** The last `count` UTC months, newest first, as choices for a month picker. */
export function recentMonths(count = 24, now = new Date()): { value: string; label: string }[] {
  const label = new Intl.DateTimeFormat(undefined, { month: "long", year: "numeric", timeZone: "UTC" });
  const out: { value: string; label: string }[] = [];
  for (let i = 0; i < count; i++) {
    const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - i, 1));
    out.push({ value: day.toISOString().slice(0, 7), label: label.format(day) });
  }
  return out;
}

/** Whether `month` ("YYYY-MM") is one of the choices `recentMonths` offers. */
export function isRecentMonth(month: string): boolean {
  return recentMonths().some((choice) => choice.value === month);
}
