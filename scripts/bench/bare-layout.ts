/** The page layout of the bare apps (bare-server.ts, bare-idea-list-server.ts): no nav, no footer. */
export const BARE_LAYOUT = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{{title}}</title>
  <link rel="stylesheet" href="/css/app.css">
</head>
<body>
  <main id="main" class="container">
    {{{body}}}
  </main>
</body>
</html>
`;
