// `npm run site`: serves the playground (site/dist/, made by `npm run build`)
// on 127.0.0.1 and prints its URL. The port is $PORT, else a free one. Static
// files only: the page needs nothing else from a server.
import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { dirname, extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";

const DIST = join(dirname(fileURLToPath(import.meta.url)), "..", "site", "dist");
const HOST = "127.0.0.1";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".json": "application/json",
  ".txt": "text/plain; charset=utf-8",
};

// the page carries the same policy in a <meta>; as a header it also binds the worker
const POLICY =
  "default-src 'none'; script-src 'self'; worker-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'none'; form-action 'none'; base-uri 'none'";

function fail(message) {
  process.stderr.write(`serve-site: ${message}\n`);
  process.exit(2);
}

if (!existsSync(join(DIST, "index.html"))) fail(`${DIST} has no index.html: run \`npm run build\` first`);
const port = process.env.PORT === undefined || process.env.PORT === "" ? 0 : Number(process.env.PORT);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`PORT=${process.env.PORT} is not a port number`);

/** The file a request path names inside DIST, or null (outside it, or no such file). */
function fileFor(urlPath) {
  let path;
  try {
    path = decodeURIComponent(urlPath.split("?")[0]);
  } catch {
    return null;
  }
  const file = normalize(join(DIST, path.endsWith("/") ? `${path}index.html` : path));
  if (file !== DIST && !file.startsWith(DIST + sep)) return null;
  const stat = statSync(file, { throwIfNoEntry: false });
  if (stat?.isDirectory()) return fileFor(`${path}/`);
  return stat?.isFile() ? file : null;
}

const server = createServer((req, res) => {
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { Allow: "GET, HEAD" }).end();
    return;
  }
  const file = fileFor(req.url ?? "/");
  if (!file) {
    res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" }).end("not found\n");
    return;
  }
  res.writeHead(200, {
    "Content-Type": TYPES[extname(file)] ?? "application/octet-stream",
    "Content-Security-Policy": POLICY,
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-cache",
  });
  if (req.method === "HEAD") res.end();
  else createReadStream(file).pipe(res);
});

server.on("error", (e) => fail(e.code === "EADDRINUSE" ? `port ${port} on ${HOST} is in use` : e.message));
server.listen(port, HOST, () => {
  const { port: bound } = server.address();
  console.log(`apachelint playground: http://${HOST}:${bound}/`);
});

for (const signal of ["SIGINT", "SIGTERM"]) process.once(signal, () => server.close(() => process.exit(0)).closeAllConnections());
