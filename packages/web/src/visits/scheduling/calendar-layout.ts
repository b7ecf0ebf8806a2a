/**
 * Lays appointments of one day onto the calendar's CSS grid: rows are fixed steps of wall-clock time
 * in the viewer's zone, overlapping appointments share the width side by side (lanes), like paper
 * diaries. Pure, so it is unit-tested; the view only turns the numbers into grid-row/left/width.
 */
import { dateIn, dayBounds, minuteOfDay } from './zoned-time';

export interface TimedItem {
  readonly id: string;
  readonly start: string;
  readonly end: string;
}

export interface HourWindow {
  /** First hour shown (0–23). */
  readonly fromHour: number;
  /** Hour after the last one shown (1–24). */
  readonly toHour: number;
}

export interface PlacedItem<T extends TimedItem> {
  readonly item: T;
  /** CSS grid line where the block starts (1 = the window's first step). */
  readonly rowStart: number;
  /** CSS grid line where it ends (exclusive; always > rowStart). */
  readonly rowEnd: number;
  /** Which of `lanes` side-by-side columns it takes (0-based). */
  readonly lane: number;
  readonly lanes: number;
}

export interface DayLayout<T extends TimedItem> {
  readonly rows: number;
  readonly placed: readonly PlacedItem<T>[];
}

/** Clinic hours by default; widened to whole hours so every appointment of the day shows. */
export function hourWindowFor(items: readonly TimedItem[], day: string, zone: string, base: HourWindow = { fromHour: 8, toHour: 18 }): HourWindow {
  let { fromHour, toHour } = base;
  for (const span of daySpans(items, day, zone)) {
    fromHour = Math.min(fromHour, Math.floor(span.from / 60));
    toHour = Math.max(toHour, Math.ceil(span.to / 60));
  }
  return { fromHour, toHour: Math.min(24, Math.max(toHour, fromHour + 1)) };
}

interface Span<T> {
  readonly item: T;
  /** Minutes since local midnight, clipped to the day: where it is drawn. */
  readonly from: number;
  readonly to: number;
  /** Epoch ms, clipped to the day: what overlaps what (wall clocks repeat an hour on fall-back days). */
  readonly realFrom: number;
  readonly realTo: number;
}

/** The part of each item that falls on `day` in `zone`, in wall-clock minutes (an overnight visit is cut at midnight). */
function daySpans<T extends TimedItem>(items: readonly T[], day: string, zone: string): Span<T>[] {
  const bounds = dayBounds(day, zone);
  const spans: Span<T>[] = [];
  for (const item of items) {
    const start = new Date(item.start);
    const end = new Date(item.end);
    if (!(end > bounds.start && start < bounds.end)) continue;
    const from = start <= bounds.start ? 0 : minuteOfDay(start, zone);
    const to = end >= bounds.end || dateIn(end, zone) !== day ? 24 * 60 : minuteOfDay(end, zone);
    // A fall-back hour can make the wall-clock end precede the start; keep at least one step visible.
    spans.push({ item, from, to: Math.max(to, from + 1), realFrom: Math.max(start.getTime(), bounds.start.getTime()), realTo: Math.min(end.getTime(), bounds.end.getTime()) });
  }
  return spans;
}

/**
 * Places the items of one day: grid rows of `stepMinutes` within `window`, and lanes so that two
 * items sharing a lane never overlap; the lanes of a group of mutually overlapping items share its width.
 */
export function layoutDay<T extends TimedItem>(items: readonly T[], day: string, zone: string, window: HourWindow, stepMinutes = 15): DayLayout<T> {
  const first = window.fromHour * 60;
  const last = window.toHour * 60;
  const rows = Math.ceil((last - first) / stepMinutes);
  const spans = daySpans(items, day, zone)
    .map((s) => ({ ...s, from: Math.max(s.from, first), to: Math.min(s.to, last) }))
    .filter((s) => s.to > s.from)
    .sort((a, b) => a.realFrom - b.realFrom || b.realTo - a.realTo || a.item.id.localeCompare(b.item.id));

  const placed: PlacedItem<T>[] = [];
  let group: { span: (typeof spans)[number]; lane: number }[] = [];
  let laneEnds: number[] = [];
  let groupEnd = -1;
  const flush = () => {
    for (const g of group) placed.push({ item: g.span.item, ...rowsOf(g.span, first, stepMinutes), lane: g.lane, lanes: laneEnds.length });
    group = [];
    laneEnds = [];
  };
  for (const span of spans) {
    if (span.realFrom >= groupEnd) {
      flush();
      groupEnd = span.realTo;
    }
    let lane = laneEnds.findIndex((end) => end <= span.realFrom);
    if (lane === -1) {
      lane = laneEnds.length;
      laneEnds.push(span.realTo);
    } else laneEnds[lane] = span.realTo;
    group.push({ span, lane });
    groupEnd = Math.max(groupEnd, span.realTo);
  }
  flush();
  return { rows, placed };
}

function rowsOf(span: { from: number; to: number }, first: number, step: number): { rowStart: number; rowEnd: number } {
  const rowStart = Math.floor((span.from - first) / step) + 1;
  const rowEnd = Math.max(rowStart + 1, Math.ceil((span.to - first) / step) + 1);
  return { rowStart, rowEnd };
}

/** Groups items by the calendar date (in `zone`) on which they start, each day sorted by start. */
export function byStartDate<T extends { readonly start: string }>(items: readonly T[], zone: string): Map<string, T[]> {
  const days = new Map<string, T[]>();
  for (const item of [...items].sort((a, b) => Date.parse(a.start) - Date.parse(b.start))) {
    const d = dateIn(new Date(item.start), zone);
    const list = days.get(d) ?? [];
    list.push(item);
    days.set(d, list);
  }
  return days;
}
