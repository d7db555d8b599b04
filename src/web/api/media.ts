/**
 * Media uploads: POST /api/v2/media (and v1), then the status names them in media_ids. Images only,
 * checked, stripped of location and camera metadata, as on the compose form. A wrong type or size
 * is a 422, as Mastodon answers a file that fails its validation.
 */
import { Hono, type Context } from "hono";
import { Refusal } from "../../domain/errors.ts";
import { describeUpload, findUpload, storeUpload } from "../../domain/media/uploads.ts";
import { mediaLinkSigner } from "../../domain/media/appLinks.ts";
import { parseId } from "../htmx.ts";
import { memberOf, memberWith } from "./auth.ts";
import type { ApiEnv } from "./env.ts";
import { mediaEntity } from "./entities/media.ts";
import { apiError, NOT_FOUND, refusalAnswer } from "./errors.ts";
import { readParams } from "./params.ts";

async function shown(c: Context<ApiEnv>, id: number) {
  const upload = await findUpload(c.var.deps.db, memberOf(c), id);
  if (!upload) return apiError(c, 404, NOT_FOUND);
  const url = upload.storage_key ? `/media/${upload.storage_key}` : upload.remote_url!;
  const sign = await mediaLinkSigner(c.var.deps.db);
  return c.json(mediaEntity(c.var.deps.config.origin, { ...upload, url }, (path) => sign(path, memberOf(c))));
}

export function mediaApi() {
  const app = new Hono<ApiEnv>();

  const upload = async (c: Context<ApiEnv>) => {
    const params = await readParams(c);
    const file = params.file("file");
    if (!file || file.size === 0) return apiError(c, 422, "Validation failed: File can't be blank");
    try {
      const id = await storeUpload(c.var.deps.db, c.var.deps.config.mediaDir, memberOf(c), new Uint8Array(await file.arrayBuffer()), params.text("description") ?? "");
      c.var.deps.log.info("api: media uploaded", { requestId: c.var.requestId, mediaId: id });
      return shown(c, id);
    } catch (error) {
      if (error instanceof Refusal && error.kind === "too_large") return apiError(c, 422, `Validation failed: File ${error.message}`);
      if (error instanceof Refusal && error.field === "file") return apiError(c, 422, `Validation failed: File content type is invalid. ${error.message}`);
      return refusalAnswer(c, error);
    }
  };
  app.post("/api/v2/media", memberWith("write:media"), upload);
  app.post("/api/v1/media", memberWith("write:media"), upload);

  app.get("/api/v1/media/:id{[0-9]+}", memberWith("write:media"), (c) => shown(c, parseId(c.req.param("id")) ?? 0));

  app.put("/api/v1/media/:id{[0-9]+}", memberWith("write:media"), async (c) => {
    const id = parseId(c.req.param("id"));
    if (id === null) return apiError(c, 404, NOT_FOUND);
    const params = await readParams(c);
    try {
      await describeUpload(c.var.deps.db, memberOf(c), id, params.text("description") ?? "");
    } catch (error) {
      return refusalAnswer(c, error);
    }
    return shown(c, id);
  });

  return app;
}
