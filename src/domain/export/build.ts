/**
 * Building a member's archive, as a queued job: outbox.json, actor.json, likes.json and
 * bookmarks.json in Mastodon's archive layout, the CSVs, the feed sources as OPML (when there are
 * any), the avatar and every image under media_attachments/,
 * streamed to a tar file on disk (never all in memory). Progress is recorded as it goes; a
 * crash leaves the job queued and it starts over; a failure is recorded with its reason.
 */
import { randomBytes } from "node:crypto";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import { basename, extname, join } from "node:path";
import type { Db } from "../../db/open.ts";
import { runningUnderBun } from "../../db/driver.ts";
import type { Logger } from "../../log.ts";
import type { JobHandler } from "../../jobs/worker.ts";
import { writeTar, type TarEntry } from "../../archive/tar.ts";
import { now } from "../clock.ts";
import { opmlOf } from "../feeds/opml.ts";
import { listSources } from "../feeds/sources.ts";
import { archiveActivityOf, archiveContext, type ArchiveLinks } from "./archiveJson.ts";
import { archiveMediaPages, archiveMediaPath, archivePostPages, bookmarkedPostUris, likedPostUris } from "./archivePosts.ts";
import { CSV_FILES, csvLines } from "./csv.ts";
import { type ExportJob, expiryFrom, exportsDirOf } from "./requests.ts";
import { TextFile } from "./textFile.ts";

export interface ExportPlace {
  db: Db;
  log: Logger;
  dataDir: string;
  mediaDir: string;
  origin: string;
  domain: string;
}

/** The job handler that builds one archive. */
export function exportHandler(place: ExportPlace, links: ArchiveLinks): JobHandler {
  return {
    async run(payload) {
      const { exportId } = payload as ExportJob;
      const row = await place.db.selectFrom("exports").innerJoin("accounts", "accounts.id", "exports.account_id")
        .select(["exports.state", "exports.account_id", "accounts.handle"]).where("exports.id", "=", exportId).executeTakeFirst();
      if (!row || row.state === "done" || row.state === "failed") return;
      const dir = exportsDirOf(place.dataDir);
      const staging = join(dir, `${exportId}.staging`);
      const partial = join(dir, `${exportId}.tar.partial`);
      await rm(staging, { recursive: true, force: true });
      await rm(partial, { force: true });
      await mkdir(staging, { recursive: true });
      try {
        await place.db.updateTable("exports").set({ state: "running", done_items: 0 }).where("id", "=", exportId).execute();
        const fileName = `${exportId}-${randomBytes(12).toString("hex")}.tar`;
        const bytes = await buildArchive(place, links, exportId, row.account_id, row.handle, staging, partial);
        await rename(partial, join(dir, fileName));
        const finishedAt = now();
        await place.db.updateTable("exports").set({ state: "done", file_name: fileName, bytes, finished_at: finishedAt, expires_at: expiryFrom(finishedAt) }).where("id", "=", exportId).execute();
        place.log.info("export: archive ready", { exportId, bytes });
      } catch (error) {
        place.log.error("export: archive failed", { exportId, error: String(error) });
        await rm(partial, { force: true });
        await place.db.updateTable("exports").set({ state: "failed", finished_at: now(), error: "The archive could not be made. Ask for a new one; if it fails again, tell the camp's operator." })
          .where("id", "=", exportId).execute();
      } finally {
        await rm(staging, { recursive: true, force: true });
      }
    },
  };
}

/**
 * Runs Bun's collector after each page of posts, as Mastodon's export runs GC after each batch:
 * otherwise the garbage of thousands of serialized posts piles up first (measured: 105 MB peak
 * without it, 93 MB with it, for 10,000 posts; bench/export.ts). A pause of a few ms per 500 posts.
 */
function releaseGarbage(): void {
  if (runningUnderBun) Bun.gc(true);
}

/** The archive's name for the member's feed sources as OPML. */
const FEEDS_OPML = "feeds.opml";

/** A JSON file holding an OrderedCollection of URIs (likes.json, bookmarks.json), written as the pages come. */
async function writeUriCollection(path: string, pages: AsyncIterable<string[]>): Promise<void> {
  const file = await TextFile.create(path);
  const id = basename(path);
  await file.write(`{"@context":"https://www.w3.org/ns/activitystreams","id":${JSON.stringify(id)},"type":"OrderedCollection","orderedItems":[`);
  let count = 0;
  for await (const uris of pages) {
    for (const uri of uris) await file.write(`${count++ ? "," : ""}${JSON.stringify(uri)}`);
  }
  await file.write(`],"totalItems":${count}}`);
  await file.close();
}

async function buildArchive(place: ExportPlace, links: ArchiveLinks, exportId: number, accountId: number, handle: string, staging: string, partial: string): Promise<number> {
  const { db } = place;
  const [posts, media] = await Promise.all([
    db.selectFrom("posts").select((eb) => eb.fn.countAll<number>().as("n")).where("author_id", "=", accountId).where("deleted_at", "is", null).executeTakeFirstOrThrow(),
    db.selectFrom("media").innerJoin("posts", "posts.id", "media.post_id").select((eb) => eb.fn.countAll<number>().as("n"))
      .where("media.owner_id", "=", accountId).where("posts.author_id", "=", accountId).where("posts.deleted_at", "is", null).where("media.storage_key", "is not", null).executeTakeFirstOrThrow(),
  ]);
  let done = 0;
  const progress = async (step: number) => {
    done += step;
    await db.updateTable("exports").set({ done_items: done }).where("id", "=", exportId).execute();
  };
  await db.updateTable("exports").set({ total_items: Number(posts.n) + Number(media.n) }).where("id", "=", exportId).execute();

  const context = archiveContext(place.origin);
  const outbox = await TextFile.create(join(staging, "outbox.json"));
  await outbox.write(`{"@context":${JSON.stringify(context)},"id":"outbox.json","type":"OrderedCollection","totalItems":${Number(posts.n)},"orderedItems":[`);
  let first = true;
  for await (const page of archivePostPages(db, links, place.domain, accountId)) {
    for (const post of page) {
      await outbox.write(`${first ? "" : ","}${JSON.stringify(archiveActivityOf(links, handle, post))}`);
      first = false;
    }
    await progress(page.length);
    releaseGarbage();
  }
  await outbox.write("]}");
  await outbox.close();

  await writeUriCollection(join(staging, "likes.json"), likedPostUris(db, links, accountId));
  await writeUriCollection(join(staging, "bookmarks.json"), bookmarkedPostUris(db, links, accountId));

  const avatar = await db.selectFrom("accounts").innerJoin("media", "media.id", "accounts.avatar_media_id").select("media.storage_key")
    .where("accounts.id", "=", accountId).executeTakeFirst();
  const avatarName = avatar?.storage_key ? `avatar${extname(avatar.storage_key)}` : null;
  const actor: Record<string, unknown> = { ...(await links.actorDocument(accountId)), outbox: "outbox.json", likes: "likes.json", bookmarks: "bookmarks.json" };
  if (avatarName) actor.icon = { type: "Image", url: avatarName };
  const actorFile = await TextFile.create(join(staging, "actor.json"));
  await actorFile.write(JSON.stringify(actor));
  await actorFile.close();

  for (const name of CSV_FILES) {
    const file = await TextFile.create(join(staging, name));
    for await (const line of csvLines(db, name, accountId, { localDomain: place.domain, postUri: links.postUri })) await file.write(line);
    await file.close();
  }

  // The member's feed sources, for a feed reader or another camp, when they have any.
  const sources = await listSources(db, accountId);
  if (sources.length) {
    const opml = await TextFile.create(join(staging, FEEDS_OPML));
    await opml.write(opmlOf(`${handle}'s feeds on ${place.domain}`, sources));
    await opml.close();
  }

  async function* entries(): AsyncGenerator<TarEntry> {
    const names = ["outbox.json", "actor.json", "likes.json", "bookmarks.json", ...CSV_FILES, ...(sources.length ? [FEEDS_OPML] : [])];
    for (const name of names) yield { name, source: join(staging, name), size: (await stat(join(staging, name))).size };
    const files = async function* () {
      if (avatarName) yield { name: avatarName, source: join(place.mediaDir, avatar!.storage_key!) };
      for await (const page of archiveMediaPages(db, accountId)) {
        for (const m of page) yield { name: archiveMediaPath(m.storageKey), source: join(place.mediaDir, m.storageKey) };
      }
    };
    for await (const file of files()) {
      const size = await stat(file.source).then((s) => s.size, () => null);
      // A file missing from the media folder is left out (as Mastodon does), not the whole archive.
      if (size === null) place.log.warn("export: media file missing, left out", { exportId, file: file.name });
      else yield { ...file, size };
    }
  }
  let mediaWritten = 0;
  await writeTar(partial, entries(), async (entry) => {
    if (!entry.name.startsWith("media_attachments/")) return;
    // Progress every 20 files keeps the writes few on large archives.
    if (++mediaWritten % 20 === 0) await progress(20);
  });
  await progress(mediaWritten % 20);
  return (await stat(partial)).size;
}
