"""The portal's HTML pages read as a browser reads them, with lxml: their tags, attributes and
text, and the figures of the score tables."""

from __future__ import annotations

import lxml.html


def text_of(element) -> str:
    """An element's text as it reads: its pieces between tags, whitespace collapsed to spaces."""
    return " ".join(" ".join(element.xpath(".//text()")).split())


class PageParts:
    """What a page is made of, as a browser would read it: tags, attributes and text."""

    def __init__(self, html: str):
        self.root = lxml.html.document_fromstring(html)

    def xpath(self, path: str, **variables) -> list:
        """The page's elements (or strings) that an XPath expression selects."""
        return self.root.xpath(path, **variables)

    @property
    def tags(self) -> list[tuple[str, dict]]:
        """Every element, in page order, as (tag, attributes)."""
        return [
            (element.tag, dict(element.attrib))
            for element in self.root.iter()
            if isinstance(element.tag, str)  # not a comment
        ]

    @property
    def text(self) -> str:
        return text_of(self.root)

    @property
    def inline_scripts(self) -> int:
        """Scripts written into the page rather than loaded from a file."""
        return len(self.root.xpath("//script[normalize-space(.) != '']"))

    def find_all(self, tag: str, **attrs) -> list[dict]:
        """Attributes of every `tag` whose attributes include `attrs` (class_ matches a class)."""
        tests, variables = [], {"tag": tag}
        for n, (name, value) in enumerate(attrs.items()):
            if name == "class_":
                tests.append(
                    f"[contains(concat(' ', normalize-space(@class), ' '), concat(' ', $v{n}, ' '))]"
                )
            else:
                tests.append(f"[@*[name() = $n{n}] = $v{n}]")
                variables[f"n{n}"] = name
            variables[f"v{n}"] = value
        path = "//*[name() = $tag]" + "".join(tests)
        return [dict(element.attrib) for element in self.root.xpath(path, **variables)]


class ScoreTable:
    """The rows of a page's score tables: row heading -> {figure name: the cell's text}."""

    def __init__(self, html: str):
        root = lxml.html.document_fromstring(html)
        self.rows: dict[str, dict[str, str]] = {}
        for row in root.xpath("//tr[.//th[@scope = 'row']]"):
            heading = text_of(row.xpath(".//th[@scope = 'row']")[0])
            if not heading:
                continue
            # A figure's cell may hold another figure (the rate's interval): it reads as one.
            cells = row.xpath(".//*[@data-figure][not(ancestor::*[@data-figure])]")
            self.rows[heading] = {cell.get("data-figure"): text_of(cell) for cell in cells}
