/** A member's time zone: which names are valid, and saving the member's choice (or their browser's guess). */
import type { Db } from "../../db/open.ts";
import { refuse } from "../errors.ts";

/** Pages use this zone for members who have not chosen one. */
export const FALLBACK_TIME_ZONE = "UTC";

/** Every IANA zone the runtime knows, for the Settings list; UTC first. */
export const TIME_ZONES: readonly string[] = [FALLBACK_TIME_ZONE, ...Intl.supportedValuesOf("timeZone").filter((z) => z !== FALLBACK_TIME_ZONE)];
const KNOWN = new Set(TIME_ZONES);

/** Whether a name is a time zone pages can be drawn in. */
export const isTimeZone = (name: string): boolean => KNOWN.has(name);

/** Saves the member's time zone (with `onlyIfUnset`, only when they have none); an unknown name is refused. */
export async function setTimeZone(db: Db, accountId: number, zone: string, options: { onlyIfUnset?: boolean } = {}): Promise<void> {
  const name = zone.trim();
  if (!isTimeZone(name)) refuse("invalid", `“${name.slice(0, 60)}” is not a time zone we know. Choose one from the list, such as Europe/Berlin.`, "timeZone");
  let update = db.updateTable("members").set({ time_zone: name }).where("account_id", "=", accountId);
  if (options.onlyIfUnset) update = update.where("time_zone", "is", null);
  await update.execute();
}
