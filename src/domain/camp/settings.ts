/** The camp's own settings: its name, description, rules, about page and support link. */
import { compiledOnce } from "../../db/compiledOnce.ts";
import type { Db } from "../../db/open.ts";
import type { Camp } from "../../db/schema.ts";
import { refuse } from "../errors.ts";
import { isHttpUrl } from "../text/urls.ts";

/** The camp's row: asked by every page (its name and look) and every actor fetch (authorized fetch). */
export async function getCamp(db: Db): Promise<Camp> {
  const [camp] = await campRow(db, {}, {});
  if (!camp) throw new Error("the camp row is missing");
  return camp;
}

/** Built once (see compiledOnce). */
const campRow = compiledOnce((db: Db, _shape: object, _values: object) => db.selectFrom("camp").selectAll().where("id", "=", 1));

export interface CampSettings {
  name: string;
  description: string;
  rules: string;
  about: string;
  supportUrl: string;
}

const LIMITS = { name: 80, description: 500, rules: 10_000, about: 20_000 } as const;

export async function updateCampSettings(db: Db, input: CampSettings): Promise<void> {
  const name = input.name.trim();
  if (!name) refuse("invalid", "The camp needs a name.", "name");
  for (const [field, max] of Object.entries(LIMITS)) {
    const value = input[field as keyof typeof LIMITS];
    if (value.length > max) refuse("invalid", `The ${field} can be at most ${max} characters.`, field);
  }
  const supportUrl = input.supportUrl.trim();
  if (supportUrl && !isHttpUrl(supportUrl)) {
    refuse("invalid", "The support link must be a full web address starting with https:// or http://.", "supportUrl");
  }
  await db
    .updateTable("camp")
    .set({
      name,
      description: input.description.trim(),
      rules: input.rules.trim(),
      about: input.about.trim(),
      support_url: supportUrl || null,
    })
    .where("id", "=", 1)
    .execute();
}

