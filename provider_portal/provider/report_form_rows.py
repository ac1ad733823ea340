"""The web form's rows, a line per enrolled participant, written as HTML here rather than in
the template (issue 16): a month of 1,000 participants is 1,000 rows of six inputs, and Jinja
spent 0.15 s of CPU on them (64 escapes and as many generator steps a row), WTForms' fields
before it 0.5 s. Here each row is one f-string whose values are escaped once.

The markup is the form's as it has always been: inputs named `lines-<index>-<field>` (read back
by `report_forms.posted_lines`), each labelled by its row and column headers, and a cell's
problems under it, tied to the input by `aria-describedby`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from markupsafe import Markup, escape

from ..formatting import end_reason, line_status

_STATUSES = ("active", "exited")
_HOURS = ("hours_planned", "hours_delivered", "absence_hours")


_NONE: tuple = ()  # a cell's problems, most often


def _messages(problems) -> str:
    return "".join(f'<p class="cell-error">{escape(p.message)}</p>' for p in problems)


def _td(cell: list, control: str, after: str = "") -> str:
    return f'<td class="{"has-error" if cell else ""}">{control}{after}</td>'


def _input(key: str, row: int, name: str, value, cell: list) -> str:
    """A text or date input, with its attributes in the order WTForms wrote them."""
    described = f' aria-describedby="err-{row}-{name}"' if cell else ""
    shape = ' type="date"' if name == "exit_date" else ' size="6" type="text"'
    decimal = "" if name == "exit_date" else ' inputmode="decimal"'
    control = (
        f'<input{described} aria-invalid="{"true" if cell else "false"}"'
        f' aria-labelledby="row-{row} col-{name}" id="{key}{name}"{decimal}'
        f' name="{key}{name}"{shape} value="{escape(value) if value else ""}">'
    )
    errors = f'<div id="err-{row}-{name}">{_messages(cell)}</div>' if cell else ""
    return _td(cell, control, errors)


def _select(key: str, row: int, name: str, options: str, cell: list) -> str:
    control = (
        f'<select name="{key}{name}" id="{key}{name}" aria-labelledby="row-{row} col-{name}"'
        f' aria-invalid="{"true" if cell else "false"}">{options}</select>'
    )
    return _td(cell, control, _messages(cell) if cell else "")


def _options(chosen, codes: Sequence[str], labels: Mapping[str, str]) -> str:
    return "".join(
        f'<option value="{code}"{" selected" if chosen == code else ""}>{labels[code]}</option>'
        for code in codes
    )


def form_rows(
    lines: Sequence[Mapping[str, str | None]],
    problems_by_line: Mapping[int, list],
    exit_reasons: Sequence[str],
) -> Markup:
    """The rows of `lines` (the form's values), each line's problems (by line number, from 1)
    shown in the cell they concern; a problem of no field or of the reference under the
    reference."""
    status_labels = {code: escape(line_status(code)) for code in _STATUSES}
    reason_labels = {code: escape(end_reason(code)) for code in exit_reasons}
    # A select's options by the value chosen: a thousand lines choose among a few.
    status_options: dict[str | None, str] = {}
    reason_options: dict[str | None, str] = {}
    rows = []
    for index, line in enumerate(lines):
        row = index + 1
        key = f"lines-{index}-"
        here = problems_by_line.get(row, ())
        by_field: dict[str | None, list] = {}
        ref_errors = ""
        if here:
            for p in here:
                by_field.setdefault(p.field, []).append(p)
            ref_problems = [p for p in here if p.field in (None, "participant_ref")]
            ref_errors = "".join(
                f'<p class="cell-error" id="p-{row}-ref-{n}">{escape(p.message)}</p>'
                for n, p in enumerate(ref_problems, 1)
            )
        ref = escape(line["participant_ref"] or "")
        status = line["status"]
        if status not in status_options:
            statuses = _options(status, _STATUSES, status_labels)
            if status not in _STATUSES:
                statuses += (
                    f'<option value="{escape(status or "")}" selected>'
                    f"{escape(status or '–')}</option>"
                )
            status_options[status] = statuses
        reason = line["exit_reason"]
        if reason not in reason_options:
            reasons = f'<option value=""{"" if reason else " selected"}>–</option>'
            reason_options[reason] = reasons + _options(reason, exit_reasons, reason_labels)
        statuses, reasons = status_options[status], reason_options[reason]
        cells = [_input(key, row, name, line[name], by_field.get(name, _NONE)) for name in _HOURS]
        cells.append(_select(key, row, "status", statuses, by_field.get("status", _NONE)))
        cells.append(
            _input(key, row, "exit_date", line["exit_date"], by_field.get("exit_date", _NONE))
        )
        cells.append(_select(key, row, "exit_reason", reasons, by_field.get("exit_reason", _NONE)))
        marked = ' class="has-problems"' if here else ""
        rows.append(
            f'<tr id="line-{row}"{marked}>'
            f'<th scope="row" id="row-{row}" class="mono">{ref}'
            f'<input id="{key}participant_ref" name="{key}participant_ref" type="hidden"'
            f' value="{ref}">{ref_errors}</th>{"".join(cells)}</tr>\n'
        )
    return Markup("".join(rows))  # nosec B704 # every value above is escaped where it is written
