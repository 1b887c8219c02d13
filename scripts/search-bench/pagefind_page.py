#!/usr/bin/env python3
"""Adds a search page with Pagefind's Default UI to a built site that Pagefind indexed.

    python3 pagefind_page.py SITE_DIR BASE_PATH

Writes SITE_DIR/pagefind-search/index.html: bounce's own search page (same header,
footer and stylesheet, so the HTML and CSS a reader loads are comparable) with its
search box and script replaced by Pagefind's documented snippet (pagefind-ui.css,
pagefind-ui.js, `new PagefindUI({ element: "#search" })`). Run by bench-search.sh.
"""
import os
import re
import sys


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    site, base = sys.argv[1], sys.argv[2]
    with open(os.path.join(site, "search", "index.html"), encoding="utf-8") as f:
        html = f.read()
    start, end = html.find("<main"), html.find("</main>")
    if start < 0 or end < 0:
        sys.exit(f"{site}/search/index.html has no <main> element")
    main_el = ('<main id="main" class="wrap" tabindex="-1">\n<div class="doc">\n'
               '<header class="doc-header"><h1>Search</h1></header>\n<div id="search"></div>\n'
               '<script>window.addEventListener("DOMContentLoaded", () => '
               'new PagefindUI({ element: "#search" }));</script>\n</div>\n</main>')
    html = html[:start] + main_el + html[end + len("</main>"):]
    html = re.sub(r'<script src="[^"]*/search\.[0-9a-f]+\.js"[^>]*></script>\n?', "", html)
    head = (f'<link href="{base}pagefind/pagefind-ui.css" rel="stylesheet">\n'
            f'<script src="{base}pagefind/pagefind-ui.js"></script>\n</head>')
    html = html.replace("</head>", head, 1)
    os.makedirs(os.path.join(site, "pagefind-search"), exist_ok=True)
    with open(os.path.join(site, "pagefind-search", "index.html"), "w", encoding="utf-8") as f:
        f.write(html)


if __name__ == "__main__":
    main()
