import path from 'node:path';
import express, { Router } from 'express';
import { absolutePath } from 'swagger-ui-dist';

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Micro-wish API</title>
<link rel="stylesheet" href="./assets/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="./assets/swagger-ui-bundle.js"></script>
<script src="./init.js"></script>
</body>
</html>
`;

// Loaded as a file, not inline, so helmet's script-src 'self' allows it.
const INIT = `window.ui = SwaggerUIBundle({ url: '/api/v1/openapi.json', dom_id: '#swagger-ui', deepLinking: true, persistAuthorization: false });\n`;

/** Interactive API docs at /api/docs: Swagger UI from the swagger-ui-dist package, served from here, no CDN. */
export function apiDocsRoutes(): Router {
  const router = Router();
  router.get('/api/docs', (req, res) => {
    // The page's relative asset URLs need the trailing slash.
    if (!req.originalUrl.split('?')[0]!.endsWith('/')) return res.redirect(301, '/api/docs/');
    res.type('html').send(PAGE);
  });
  router.get('/api/docs/init.js', (_req, res) => {
    res.type('application/javascript').send(INIT);
  });
  router.use('/api/docs/assets', express.static(path.resolve(absolutePath()), { index: false, fallthrough: true, maxAge: '1d' }));
  return router;
}
