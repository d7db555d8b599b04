/**
 * A visitor over real HTTP (fetch to a loopback server), keeping cookies and sending the CSRF token
 * like a browser: for camps running in another process (under Node, or as the compiled binary).
 */
export class HttpVisitor {
  private readonly cookies = new Map<string, string>();

  constructor(private readonly origin: string) {}

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const response = await fetch(new URL(path, this.origin), { ...init, headers, redirect: "manual" });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const [name, ...value] = pair!.split("=");
      this.cookies.set(name!.trim(), value.join("="));
    }
    return response;
  }

  get(path: string): Promise<Response> {
    return this.request(path);
  }

  /** Posts a form with the CSRF token this visitor was given (fetching a page first if it has none). */
  async post(path: string, fields: Record<string, string | Blob>): Promise<Response> {
    if (!this.cookies.has("kith_csrf")) await (await this.get("/about")).arrayBuffer();
    const all = { _csrf: this.cookies.get("kith_csrf")!, ...fields };
    // Files go as multipart/form-data, like a browser's upload form.
    if (Object.values(all).some((v) => typeof v !== "string")) {
      const form = new FormData();
      for (const [name, value] of Object.entries(all)) form.append(name, value);
      return this.request(path, { method: "POST", body: form });
    }
    return this.request(path, { method: "POST", body: new URLSearchParams(all as Record<string, string>) });
  }
}

/**
 * Opens a printed setup link on the server at `origin`, becomes the operator and returns the
 * logged-in visitor. The link names the camp's public domain; we reach it on loopback.
 */
export async function becomeOperator(origin: string, setupLink: string, password: string): Promise<HttpVisitor> {
  const operator = new HttpVisitor(origin);
  const path = new URL(setupLink).pathname;
  const page = await operator.get(path);
  if (page.status !== 200) throw new Error(`setup page answered ${page.status}`);
  await page.arrayBuffer();
  const done = await operator.post(path, { handle: "olga", displayName: "Olga", password });
  if (done.status !== 303) throw new Error(`setup answered ${done.status}: ${await done.text()}`);
  return operator;
}
