// Builds the web app into web/dist: the SPA (hashed JS + CSS, index.html) and the API reference page
// (/docs/, Swagger UI reading /openapi.json). Offline, deterministic, well under 3 s.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const webDir = dirname(fileURLToPath(import.meta.url));
const outDir = join(webDir, 'dist');
const started = performance.now();

rmSync(outDir, { recursive: true, force: true });
mkdirSync(join(outDir, 'assets'), { recursive: true });

const result = await build({
  absWorkingDir: webDir,
  // The staff app, and the public booking page (its own small bundle: customers load no staff code).
  entryPoints: {
    app: 'src/main.tsx',
    booking: 'src/booking/main.tsx',
    approval: 'src/repair-orders/approval/main.tsx',
  },
  outdir: join(outDir, 'assets'),
  entryNames: '[name]-[hash]',
  assetNames: '[name]-[hash]',
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2020',
  minify: true,
  sourcemap: 'linked',
  legalComments: 'linked',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  define: { 'process.env.NODE_ENV': '"production"' },
  metafile: true,
  logLevel: 'warning',
});

const outputs = Object.keys(result.metafile.outputs).map((p) =>
  relative(outDir, join(webDir, p)).split('\\').join('/'),
);
/** The built JS and CSS of one entry (`app`, `booking`): each entry is one page. */
function assetsOf(entry) {
  const find = (ext) => outputs.find((p) => new RegExp(`^assets/${entry}-[\\w-]+\\.${ext}$`).test(p));
  const [js, css] = [find('js'), find('css')];
  if (!js || !css) throw new Error(`build: expected ${entry} JS and CSS, got ${outputs.join(', ')}`);
  return { js, css };
}

/** A page's HTML shell: its title, its root element and what to say without JavaScript. */
function writePage(file, entry, { title, root, noscript }) {
  const { js, css } = assetsOf(entry);
  writeFileSync(
    join(outDir, file),
    `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="theme-color" content="#1f4e79">
<title>${title}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/${css}">
<script type="module" src="/${js}"></script>
</head>
<body>
<div id="${root}"></div>
<noscript>${noscript}</noscript>
</body>
</html>
`,
  );
}

writePage('index.html', 'app', {
  title: 'Aftersales Cloud · 售后云',
  root: 'app',
  noscript: 'Aftersales Cloud needs JavaScript. 请启用 JavaScript。',
});
// The public booking page, per store: /booking.html#store=<storeId>. A file, so the static hosting (S3
// behind CloudFront, the local server) serves it as is, with no rewrite and no server code.
writePage('booking.html', 'booking', {
  title: '在线预约 · Book a service',
  root: 'booking',
  noscript: 'Booking needs JavaScript. 请启用 JavaScript。',
});
// 远程确认: the quote a customer's text links to, /approve.html#store=<storeId>&token=<token>.
writePage('approve.html', 'approval', {
  title: '确认维修报价 · Approve your quote',
  root: 'approval',
  noscript: 'This page needs JavaScript. 请启用 JavaScript。',
});

// API reference: Swagger UI's prebuilt bundle, configured by a small script (no inline script, CSP-friendly).
const require = createRequire(import.meta.url);
const swaggerDir = dirname(require.resolve('swagger-ui-dist/package.json'));
const docsDir = join(outDir, 'docs');
mkdirSync(docsDir, { recursive: true });
copyFileSync(join(swaggerDir, 'swagger-ui.css'), join(docsDir, 'swagger-ui.css'));
// The bundle's source map is not shipped; drop the comment that points at it.
const swaggerJs = readFileSync(join(swaggerDir, 'swagger-ui-bundle.js'), 'utf8').replace(
  /\n\/\/# sourceMappingURL=\S+\s*$/,
  '\n',
);
writeFileSync(join(docsDir, 'swagger-ui-bundle.js'), swaggerJs);
writeFileSync(
  join(docsDir, 'init.js'),
  `// Reads the API description; "Try it out" reuses the web app's session token when there is one.
window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  requestInterceptor: function (req) {
    var token = null;
    try { token = sessionStorage.getItem('aftersales.token'); } catch (e) {}
    if (token && req.url.indexOf('/v1/') !== -1 && !req.headers.Authorization) req.headers.Authorization = 'Bearer ' + token;
    return req;
  },
});
`,
);
writeFileSync(
  join(docsDir, 'index.html'),
  `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Aftersales Cloud API reference</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="swagger-ui.css">
<style>body{margin:0}.back{display:block;padding:12px 20px;font:16px system-ui,sans-serif;background:#1f4e79;color:#fff;text-decoration:none}</style>
</head>
<body>
<a class="back" href="/">← Aftersales Cloud · 返回售后云</a>
<div id="swagger-ui"></div>
<script src="swagger-ui-bundle.js"></script>
<script src="init.js"></script>
</body>
</html>
`,
);

const ms = Math.round(performance.now() - started);
const size = (p) => `${(readFileSync(join(outDir, p)).length / 1024).toFixed(1)} KiB`;
const app = assetsOf('app');
console.log(
  `web: built in ${ms} ms → dist/${app.js} (${size(app.js)}), dist/${app.css} (${size(app.css)}), dist/docs/ (${basename(swaggerDir)})`,
);
