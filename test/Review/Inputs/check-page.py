#!/usr/bin/env python3
"""Checks the review page as headless Chromium saw it.

Usage: check-page.py REVIEW.json DOM.html CONSOLE.log NETLOG.json SCREENSHOT.png

REVIEW.json is `strata review --format json` for the same migrations as the
page; DOM.html is Chromium's --dump-dom of the page (the document after the
browser parsed it, so misnested markup shows); CONSOLE.log its stderr with
--enable-logging=stderr; NETLOG.json its --log-net-log. Checks that:
  * the page has its landmarks: one <main>, a <nav>, sections, an <h1>;
  * every migration has its section, every operation its <article>, every
    lint its item inside that article, every non-empty IQL stream its
    <pre class="iql forward|backward"> there, and the graph names every
    reviewed migration;
  * nothing is loaded from elsewhere: no <script>, no stylesheet link, no
    http(s) src or href, and no request of the page in the network log
    (Chromium's own background requests are not the page's);
  * the console stayed silent;
  * the screenshot is a PNG.
Prints one summary line; exits 1 with the problems otherwise.
"""
import json
import sys
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class Dom(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []      # (tag, attrs) of open elements
        self.elements = []   # (tag, attrs, ids of enclosing elements)
        self.titles = []     # text of svg <title> elements
        self.external = []   # http(s) src/href values

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        enclosing = [x[1].get("id") for x in self.stack if x[1].get("id")]
        self.elements.append((tag, a, enclosing))
        for key in ("src", "href", "xlink:href", "action", "data"):
            if a.get(key, "").lower().startswith(("http://", "https://", "//")):
                self.external.append(a[key])
        if tag not in VOID:
            self.stack.append((tag, a))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        if self.stack and self.stack[-1][0] == "title" and any(t == "svg" for t, _ in self.stack):
            self.titles.append(data.strip())

    def find(self, tag=None, cls=None, id=None, inside=None):
        out = []
        for t, a, enclosing in self.elements:
            if tag and t != tag:
                continue
            if cls and not set(cls.split()) <= set(a.get("class", "").split()):
                continue
            if id and a.get("id") != id:
                continue
            if inside and inside not in enclosing:
                continue
            out.append((t, a))
        return out


def page_requests(netlog_path):
    """URLs the page itself asked for (its network isolation key is the
    page's file:// site), other than file: URLs."""
    with open(netlog_path) as f:
        text = f.read()
    # A log cut short by the browser's exit lacks its closing brackets.
    try:
        log = json.loads(text)
    except json.JSONDecodeError:
        log = json.loads(text.rstrip().rstrip(",") + "]}")
    out = set()
    for e in log.get("events", []):
        p = e.get("params") or {}
        url = p.get("url", "")
        if "file://" in p.get("network_isolation_key", "") and not url.startswith("file:"):
            out.add(url)
    return sorted(out)


def main(review_path, dom_path, console_path, netlog_path, png_path):
    problems = []
    with open(review_path) as f:
        review = json.load(f)
    dom = Dom()
    with open(dom_path, encoding="utf-8") as f:
        dom.feed(f.read())

    for tag, count in (("main", 1), ("h1", 1)):
        if len(dom.find(tag)) != count:
            problems.append(f"expected {count} <{tag}>, found {len(dom.find(tag))}")
    if not dom.find("nav") or not dom.find("section"):
        problems.append("no <nav> or no <section>")

    ops = lints = blocks = 0
    for m in review["migrations"]:
        mid = "m-" + m["name"]
        if not dom.find("section", id=mid, inside=None):
            problems.append(f"no section for migration {m['name']}")
        for op in m["operations"]:
            oid = f"{mid}-op-{op['index']}"
            ops += 1
            if not dom.find("article", "operation", id=oid):
                problems.append(f"no article for {m['name']} operation {op['index']}")
                continue
            for lint in op["lints"]:
                lints += 1
                code = lint["code"] or lint["kind"]
                found = [a for _, a in dom.find("li", "lint", inside=oid)
                         if a.get("data-code") == code]
                if not found:
                    problems.append(f"lint {code} of {oid} is missing")
            for direction in ("forward", "backward"):
                if op[direction]:
                    blocks += 1
                    if not dom.find("pre", "iql " + direction, inside=oid):
                        problems.append(f"{direction} IQL of {oid} is missing")
    for name in review["graph"]["reviewed"]:
        if name not in dom.titles:
            problems.append(f"the graph has no node {name}")

    if dom.find("script"):
        problems.append("the page has a <script>")
    if [a for _, a in dom.find("link") if "stylesheet" in a.get("rel", "")]:
        problems.append("the page links a stylesheet")
    problems += [f"external reference {u}" for u in dom.external]
    problems += [f"the page requested {u}" for u in page_requests(netlog_path)]

    with open(console_path, errors="replace") as f:
        console = [line.strip() for line in f if ":CONSOLE" in line]
    problems += [f"console: {line}" for line in console]

    with open(png_path, "rb") as f:
        if f.read(8) != b"\x89PNG\r\n\x1a\n":
            problems.append("the screenshot is not a PNG")

    if problems:
        print("\n".join(problems))
        return 1
    print(f"page ok: {len(review['migrations'])} migrations, {ops} operations, {lints} lints, "
          f"{blocks} IQL blocks, no requests, no console messages")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
