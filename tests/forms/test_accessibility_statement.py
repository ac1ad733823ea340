"""The accessibility statement: open to everyone, linked from every page's footer, in both
languages."""

from __future__ import annotations

from tests.pages import PageParts


def test_the_statement_is_open_and_linked_from_the_login_page_footer(app):
    client = app.test_client()
    login = PageParts(client.get("/login").get_data(as_text=True))
    links = [a.get("href") for a in login.find_all("a")]
    assert "/accessibility" in links
    page = client.get("/accessibility")
    assert page.status_code == 200
    text = PageParts(page.get_data(as_text=True)).text
    assert "Tilgængelighedserklæring" in text
    assert "WCAG" in text and "Digitaliseringsstyrelsen" in text
    assert "lov nr. 692 af 8. juni 2018" in text and "forstørres til 200 %, og" in text


def test_the_statement_in_english(app):
    client = app.test_client()
    client.set_cookie("lang", "en")
    text = PageParts(client.get("/accessibility").get_data(as_text=True)).text
    assert "Accessibility statement" in text and "Act no. 692 of 8 June 2018" in text
