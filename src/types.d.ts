// Files imported as text are embedded in the bundle and the compiled binary.
declare module "*.css" {
  const text: string;
  export default text;
}
declare module "htmx.org/dist/htmx.min.js" {
  const text: string;
  export default text;
}
declare module "htmx.org/dist/ext/hx-sse.min.js" {
  const text: string;
  export default text;
}
declare module "*/static/kith.js" {
  const text: string;
  export default text;
}
