"""PDFs with WeasyPrint from plain data, through a sandboxed Jinja environment of their own.

Two rules keep rendering safe and predictable: templates get dataclasses and dicts only (no
ORM object can lazy-load or leak a column into a printed page), and WeasyPrint fetches
nothing but the app's own static files (`StaticOnlyFetcher`), so a value that happens to
look like a URL can never make the server reach the network or read other files.
Fonts come from the system (DejaVu, Debian's fonts-dejavu-core), which has æ, ø and å.
The caller names both folders, the templates and the static files: the web app hands in its
own, so this package assumes nothing about where the app keeps them.
"""

from __future__ import annotations

import mimetypes
import threading
from functools import partial
from pathlib import Path
from urllib.parse import unquote, urlsplit

from jinja2 import FileSystemLoader, StrictUndefined, select_autoescape
from jinja2.sandbox import SandboxedEnvironment
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from . import formatting


class RefusedURL(ValueError):
    """A PDF asked for something that is not one of the app's static files."""


class StaticOnlyFetcher(URLFetcher):
    """Serve the app's static files from disk and refuse every other URL, redirects included."""

    def __init__(self, static_root: Path):
        super().__init__(allowed_protocols=("file",), allow_redirects=False, timeout=1)
        self.static_root = Path(static_root).resolve()

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            raise RefusedURL(f"PDFs may use only the app's static files, not {url}")
        path = Path(unquote(parts.path)).resolve()
        if not path.is_relative_to(self.static_root) or not path.is_file():
            raise RefusedURL(f"PDFs may use only the app's static files, not {url}")
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            path.as_uri(), body=path.read_bytes(), headers={"Content-Type": mime}
        )


class PdfRenderer:
    """Render the templates' `pdf/*.html` with plain data to PDF bytes, in one locale.

    `templates` is the folder the template names are found in, `static_root` the only folder
    a PDF may take files from (its stylesheet, fonts and images are under `static_root/pdf`).
    """

    def __init__(self, templates: Path, static_root: Path):
        self.static_root = Path(static_root)
        self.env = SandboxedEnvironment(
            loader=FileSystemLoader(str(templates)),
            autoescape=select_autoescape(default=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )

    def html(self, template: str, locale: str = "da", **data) -> str:
        """The HTML a PDF is made from (tests and the benchmark look at it too)."""
        filters = {
            "money": partial(formatting.money, locale=locale),
            "day": partial(formatting.day, locale=locale),
            "month": partial(formatting.month, locale=locale),
            "number": lambda value, decimals=0: formatting.number(value, locale, decimals),
            "percent": partial(formatting.percent, locale=locale),
            "rate": partial(formatting.rate, locale=locale),
        }
        env = self.env.overlay()
        env.filters.update(filters)
        return env.get_template(template).render(locale=locale, **data)

    def render(self, template: str, locale: str = "da", **data) -> bytes:
        """The PDF of a template with its data."""
        return self.from_html(self.html(template, locale, **data))

    def from_html(self, html: str) -> bytes:
        """A PDF of ready HTML; relative URLs resolve inside the static folder and nowhere else."""
        base = (self.static_root / "pdf").as_uri() + "/"
        return HTML(
            string=html, base_url=base, url_fetcher=StaticOnlyFetcher(self.static_root)
        ).write_pdf()


_renderers: dict[tuple[Path, Path], PdfRenderer] = {}
_renderers_lock = threading.Lock()


def renderer_for(templates: Path, static_root: Path) -> PdfRenderer:
    """The process's renderer for these folders (its Jinja environment caches compiled templates)."""
    key = (Path(templates), Path(static_root))
    with _renderers_lock:
        if key not in _renderers:
            _renderers[key] = PdfRenderer(*key)
        return _renderers[key]


def invoice_pdf(renderer: PdfRenderer, doc, locale: str = "da") -> bytes:
    """The PDF of an invoice or credit note (an `InvoiceDocument`)."""
    return renderer.render("pdf/invoice.html", locale, doc=doc)


def provider_statement_pdf(renderer: PdfRenderer, statement, locale: str = "da") -> bytes:
    """The PDF of a provider's monthly statement (a `ProviderStatement`)."""
    return renderer.render("pdf/provider_statement.html", locale, statement=statement)
