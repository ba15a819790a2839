/**
 * The page layout of the bare apps (bare-server.ts, bare-idea-list-server.ts): no nav, no footer.
 * `body` places the view: `{{{body}}}` (its HTML) for express-handlebars' own engine, `{{> body}}`
 * (the view as a partial) for the app's (src/web/views.ts).
 */
export const bareLayout = (body: '{{{body}}}' | '{{> body}}') => `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{{title}}</title>
  <link rel="stylesheet" href="/css/app.css">
</head>
<body>
  <main id="main" class="container">
    ${body}
  </main>
</body>
</html>
`;
