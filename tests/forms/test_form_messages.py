"""Every page form's every field, given a bad value, answers in the page's language: no English
word on a Danish page, no Danish word on an English page, and a number field with one message."""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    DateField,
    DateTimeField,
    FieldList,
    FileField,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectFieldBase,
    SubmitField,
)
from wtforms.validators import Email, Length

import provider_portal
from provider_portal.form_fields import DayField, MonthField, NumberField

# Words of the portal's English messages that Danish never uses, and the other way round.
# Quoted values (“…”) and digits are taken out first: they are the user's, not the page's.
ENGLISH = re.compile(
    r"\b(the|not|valid|value|must|field|number|write|choose|invalid|required|give|such|could"
    r"|mean|more|than|decimals|characters|choice|percentage|weight|hours|amount|between|least"
    r"|only|is|an|of|or|and|from|date)\b",
    re.IGNORECASE,
)
DANISH = re.compile(
    r"[æøå]|\b(ikke|skal|skriv|vælg|eller|mindst|gyldig|gyldigt|et|og|til|fra|kan|har|mere"
    r"|tal|angiv|feltet|dato|med|som|fx|af|du|det|timer|vægt|beløbet|tegn)\b",
    re.IGNORECASE,
)
QUOTED = re.compile(r"“[^”]*”|»[^«]*«|\"[^\"]*\"|'[^']*'|\d[\d.,]*")
SKIPPED = (BooleanField, HiddenField, SubmitField, FileField, FieldList, FormField)


def _page_forms() -> list[type[Form]]:
    """Every form class the portal defines (page forms and their repeated parts)."""
    for module in pkgutil.walk_packages(provider_portal.__path__, "provider_portal."):
        if ".migrations" not in module.name:
            importlib.import_module(module.name)
    found, todo = [], list(Form.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("provider_portal.") and cls.__module__ != (
            "provider_portal.form_fields"
        ):
            found.append(cls)
    return sorted(set(found), key=lambda c: f"{c.__module__}.{c.__qualname__}")


def _bad_values(field) -> list[str]:
    """Values a user could type that the field must refuse (an empty one first)."""
    values = [""]
    if isinstance(field, NumberField):
        values += ["4.500", "Infinity", "1e5", "1_000", "4500,505", "-5"]
    elif isinstance(field, IntegerField):
        values += ["mange", "1,5"]
    elif isinstance(field, (DateField, DateTimeField, DayField)):
        values += ["32-13-2019", "i går"]
    elif isinstance(field, MonthField):
        values += ["2019-13", "januar"]
    elif isinstance(field, SelectFieldBase):
        values += ["no-such-choice"]
    for check in field.validators:
        if isinstance(check, Length) and check.max and check.max > 0:
            values.append("x" * (check.max + 1))
        if isinstance(check, Email):
            values.append("no address")
    return values


def _messages(app, form_class, language: str) -> list[tuple[str, str, str]]:
    """(field, value, message) for every bad value of every field, as the page shows them."""
    shown = []
    with app.test_request_context(headers={"Cookie": f"lang={language}"}):
        names = [f.name for f in form_class(meta={"csrf": False})]
        for name in names:
            probe = form_class(meta={"csrf": False})[name]
            if isinstance(probe, SKIPPED) or name == "csrf_token":
                continue
            for value in _bad_values(probe):
                form = form_class(formdata=MultiDict({name: value}), meta={"csrf": False})
                for field in form:
                    if isinstance(field, SelectFieldBase) and field.choices is None:
                        field.choices = [(1, "A")] if field.coerce is int else [("a", "A")]
                form.validate()
                errors = [str(e) for e in form[name].errors]
                if isinstance(probe, NumberField) and value:
                    assert len(errors) <= 1, (form_class, name, value, errors)
                shown += [(name, value, e) for e in errors if isinstance(e, str)]
    return shown


FORMS = _page_forms()


@pytest.mark.parametrize("form_class", FORMS, ids=lambda c: f"{c.__module__[16:]}.{c.__name__}")
def test_every_field_refuses_in_the_page_language(app, form_class):
    wrong = []
    for language, other in (("da", ENGLISH), ("en", DANISH)):
        for name, value, message in _messages(app, form_class, language):
            words = other.findall(QUOTED.sub(" ", message))
            if words:
                wrong.append(f"{language} {name}={value[:12]!r}: {message[:90]!r} ({words})")
    assert not wrong, "\n".join(wrong)


def test_the_walk_reaches_the_money_forms_and_a_field_of_each_kind():
    names = {c.__name__ for c in FORMS}
    # The report's web form lines are no WTForms fields: the report reader checks them, in the
    # page's language (tests/web/test_report_pages.py: a bad line's problem in Danish).
    assert {"BidForm", "ContractForm", "LotForm", "TenderForm"} <= names
