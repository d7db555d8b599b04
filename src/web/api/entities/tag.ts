/** Mastodon's Tag entity. Kith keeps tags by name, so the name is its id too; usage history is not counted. */
export function tagEntity(origin: string, name: string, following?: boolean) {
  return {
    id: name,
    name,
    url: `${origin}/tags/${encodeURIComponent(name)}`,
    history: [],
    ...(following === undefined ? {} : { following }),
  };
}
