"""What the report page tests do as a provider's browser: send a file, read the web form."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import csrf_token
from tests.pages import PageParts

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
PAGE = "/provider/contracts/{}/reports/2019-01"


def upload(client, contract_id, name=None, data=None, filename="report.csv"):
    """Post one file as a browser does. The multipart body is built here, in memory: the test
    client would spool a large one to a temporary file of its own."""
    page = client.get(PAGE.format(contract_id))
    token = csrf_token(page.get_data(as_text=True))
    content = data if data is not None else (SAMPLES / name).read_bytes()
    boundary = "----report-boundary-7MA4YWxkTrZu0gW"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
            "Content-Type: text/csv\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return client.post(
        PAGE.format(contract_id) + "/upload",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def form_fields(html: str) -> dict[str, str]:
    """The web form's fields as a browser would send them (inputs and selected options)."""
    [form] = [
        form
        for form in PageParts(html).xpath("//form[starts-with(@action, '/provider/contracts/')]")
        if form.get("action").endswith("/form")
    ]
    return dict(form.form_values())


def filled_with_one_bad_line(fields: dict[str, str], bad_ref: str) -> str:
    """Fill the form in as a coordinator would (148 hours planned, 120,5 delivered on every
    line), with `bad_ref`'s delivered hours at 400: over any month's ceiling. The bad line's
    prefix of field names."""
    for name in list(fields):
        if name.endswith("hours_planned"):
            fields[name] = "148"
        elif name.endswith("hours_delivered"):
            fields[name] = "120,5"
    row = next(k[: -len("participant_ref")] for k, v in fields.items() if v == bad_ref)
    fields[row + "hours_delivered"] = "400"
    return row
