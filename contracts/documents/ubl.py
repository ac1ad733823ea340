"""Invoices and credit notes as Peppol BIS 3.0 (UBL 2.1), as Danish public buyers exchange them.

Who issues the document is the contract's term (DESIGN.md §6). Self-billed (the default), the
municipality issues it on the provider's behalf: Peppol BIS Self-Billing 3.0, invoice type 389
and credit note 261, the one note saying so and naming the agreement (the VAT directive's
"self-billing" mention, art. 226(10a)). Provider-issued, it is Peppol BIS Billing 3.0, 380 and
381. The parties do not swap in either: the provider is the seller (its CVR as legal entity,
scheme 0184: DK-R-002/014), the municipality the buyer (its EAN/GLN as endpoint, scheme 0088),
each with its postal address as the issued record keeps it. One line per participant,
quantity one, priced at the line's amount; the description says what it is made of. A credit
note carries the same positive amounts as the invoice it credits and refers to that invoice's
number. The figures are the invoice's own, rounded by our rule (`rules/money.py`); `build`
refuses a document whose VAT or totals do not follow that rule, since the official rules
allow a krone of slack that we do not.
"""

from __future__ import annotations

from decimal import Decimal

from lxml import etree

from ..rules.money import round_money
from ..rules.periods import parse_month
from ..rules.problems import N_
from . import formatting
from .data import DocumentLine, InvoiceDocument

NS_INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
NS_CREDIT_NOTE = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
NS_CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
NS_CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
CUSTOMIZATION_ID = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PROFILE_ID = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
SELF_BILLING_CUSTOMIZATION_ID = (
    "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:selfbilling:3.0"
)
SELF_BILLING_PROFILE_ID = "urn:fdc:peppol.eu:2017:poacc:selfbilling:01:1.0"
# (invoice, credit note) type codes, UNCL 1001: commercial invoice and credit note, or their
# self-billed kinds, the only ones each rule set allows (PEPPOL-EN16931-P0100/P0101).
TYPE_CODES = {False: ("380", "381"), True: ("389", "261")}
CURRENCY = "DKK"
SCHEME_CVR = "0184"
SCHEME_GLN = "0088"
# UNCL 4461 code 1, "instrument not defined": Danish public buyers pay a company's NemKonto,
# which is found from its CVR number, so no account travels on the invoice (allowed by DK-R-005).
PAYMENT_MEANS_NEMKONTO = "1"
UNIT_ONE = "C62"


class NotIssuable(ValueError):
    """The document cannot be an e-invoice yet (a draft has no number), or its figures are off."""


def _cac(parent, name: str):
    return etree.SubElement(parent, f"{{{NS_CAC}}}{name}")


def _cbc(parent, tag: str, text, **attributes):
    element = etree.SubElement(parent, f"{{{NS_CBC}}}{tag}", attributes)
    element.text = str(text)
    return element


def _amount(parent, name: str, value: Decimal):
    return _cbc(parent, name, f"{round_money(value):.2f}", currencyID=CURRENCY)


def _percent(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f}"


def _tax_category(parent, name: str, rate: Decimal) -> None:
    category = _cac(parent, name)
    if rate > 0:
        _cbc(category, "ID", "S")
        _cbc(category, "Percent", _percent(rate))
    else:
        _cbc(category, "ID", "E")
        _cbc(category, "Percent", "0")
        if name == "TaxCategory":
            _cbc(category, "TaxExemptionReason", "Momsfritaget ydelse")
    _cbc(_cac(category, "TaxScheme"), "ID", "VAT")


def check_figures(doc: InvoiceDocument) -> list[str]:
    """Our own rule, stricter than EN 16931: net is the sum of the lines, VAT the rounded rate × net."""
    problems = []
    if sum((line.amount for line in doc.lines), Decimal(0)) != doc.net:
        problems.append("the net amount is not the sum of the lines")
    if round_money(doc.vat_rate * doc.net) != doc.vat:
        problems.append(f"VAT {doc.vat} is not {doc.vat_rate} × {doc.net} rounded half up to øre")
    if doc.net + doc.vat != doc.total:
        problems.append("the total is not net + VAT")
    if not doc.lines:
        problems.append("an e-invoice needs at least one line")
    return problems


def build(doc: InvoiceDocument) -> bytes:
    """The UBL 2.1 XML of an approved invoice or credit note, UTF-8 with an XML declaration."""
    if doc.number is None or doc.issued_on is None:
        raise NotIssuable(N_("A draft has no invoice number yet; approve it first."))
    problems = check_figures(doc)
    if problems:
        raise NotIssuable("; ".join(problems))
    credit = doc.is_credit_note
    root_ns = NS_CREDIT_NOTE if credit else NS_INVOICE
    root = etree.Element(
        f"{{{root_ns}}}{'CreditNote' if credit else 'Invoice'}",
        nsmap={None: root_ns, "cac": NS_CAC, "cbc": NS_CBC},
    )
    self_billed = doc.self_billed
    _cbc(
        root, "CustomizationID", SELF_BILLING_CUSTOMIZATION_ID if self_billed else CUSTOMIZATION_ID
    )
    _cbc(root, "ProfileID", SELF_BILLING_PROFILE_ID if self_billed else PROFILE_ID)
    _cbc(root, "ID", doc.number)
    _cbc(root, "IssueDate", doc.issued_on.isoformat())
    if not credit:
        _cbc(root, "DueDate", doc.due_on.isoformat())
    _cbc(
        root,
        "CreditNoteTypeCode" if credit else "InvoiceTypeCode",
        TYPE_CODES[self_billed][1 if credit else 0],
    )
    _cbc(root, "Note", note(doc))
    _cbc(root, "DocumentCurrencyCode", CURRENCY)
    _cbc(root, "BuyerReference", doc.contract_reference)
    first, last = parse_month(doc.month)
    period = _cac(root, "InvoicePeriod")
    _cbc(period, "StartDate", first.isoformat())
    _cbc(period, "EndDate", last.isoformat())
    if credit and doc.credited_number:
        reference = _cac(_cac(root, "BillingReference"), "InvoiceDocumentReference")
        _cbc(reference, "ID", doc.credited_number)
        if doc.credited_issued_on:
            _cbc(reference, "IssueDate", doc.credited_issued_on.isoformat())
    _cbc(_cac(root, "ContractDocumentReference"), "ID", doc.contract_reference)
    _seller(root, doc)
    _buyer(root, doc)
    if not credit:
        means = _cac(root, "PaymentMeans")
        _cbc(means, "PaymentMeansCode", PAYMENT_MEANS_NEMKONTO, name="NemKonto")
        _cbc(means, "PaymentID", doc.number)
        _cbc(
            _cac(root, "PaymentTerms"),
            "Note",
            f"Netto {(doc.due_on - doc.issued_on).days} dage, til leverandørens NemKonto (CVR {doc.seller.cvr})",
        )
    tax_total = _cac(root, "TaxTotal")
    _amount(tax_total, "TaxAmount", doc.vat)
    subtotal = _cac(tax_total, "TaxSubtotal")
    _amount(subtotal, "TaxableAmount", doc.net)
    _amount(subtotal, "TaxAmount", doc.vat)
    _tax_category(subtotal, "TaxCategory", doc.vat_rate)
    totals = _cac(root, "LegalMonetaryTotal")
    _amount(totals, "LineExtensionAmount", doc.net)
    _amount(totals, "TaxExclusiveAmount", doc.net)
    _amount(totals, "TaxInclusiveAmount", doc.total)
    _amount(totals, "PayableAmount", doc.total)
    for position, line in enumerate(doc.lines, start=1):
        _line(root, doc, position, line)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def note(doc: InvoiceDocument) -> str:
    """The document's one note (PEPPOL-EN16931-R002): what it settles, and for a self-billed one
    first the mention "Selvfakturering" and who issued it for whom under which agreement."""
    month_name = formatting.month(doc.month, "da")
    what = "Kreditnota" if doc.is_credit_note else "Afregning"
    text = f"{what}: {doc.programme_name}, aftale {doc.contract_reference}, {month_name}"
    if not doc.self_billed:
        return text
    return (
        f"Selvfakturering (self-billing). Udstedt af {doc.buyer.name} på vegne af "
        f"{doc.seller.name} jf. aftale om selvfakturering {doc.contract_reference}. {text}"
    )


def _address(party, street: str, postcode: str, city: str) -> None:
    # Empty elements are refused (PEPPOL-EN16931-R008), so a part not known is left out.
    address = _cac(party, "PostalAddress")
    if street:
        _cbc(address, "StreetName", street)
    if city:
        _cbc(address, "CityName", city)
    if postcode:
        _cbc(address, "PostalZone", postcode)
    _cbc(_cac(address, "Country"), "IdentificationCode", "DK")


def _seller(root, doc: InvoiceDocument) -> None:
    party = _cac(_cac(root, "AccountingSupplierParty"), "Party")
    if doc.seller.gln:
        _cbc(party, "EndpointID", doc.seller.gln, schemeID=SCHEME_GLN)
    else:
        _cbc(party, "EndpointID", doc.seller.cvr, schemeID=SCHEME_CVR)
    _cbc(_cac(party, "PartyName"), "Name", doc.seller.name)
    _address(party, doc.seller.street, doc.seller.postcode, doc.seller.city)
    tax = _cac(party, "PartyTaxScheme")
    _cbc(tax, "CompanyID", f"DK{doc.seller.cvr}")
    _cbc(_cac(tax, "TaxScheme"), "ID", "VAT")
    legal = _cac(party, "PartyLegalEntity")
    _cbc(legal, "RegistrationName", doc.seller.name)
    _cbc(legal, "CompanyID", doc.seller.cvr, schemeID=SCHEME_CVR)


def _buyer(root, doc: InvoiceDocument) -> None:
    party = _cac(_cac(root, "AccountingCustomerParty"), "Party")
    _cbc(party, "EndpointID", doc.buyer.ean, schemeID=SCHEME_GLN)
    _cbc(_cac(party, "PartyName"), "Name", doc.buyer.name)
    _address(party, doc.buyer.street, doc.buyer.postcode, doc.buyer.city)
    legal = _cac(party, "PartyLegalEntity")
    _cbc(legal, "RegistrationName", doc.buyer.name)
    _cbc(legal, "CompanyID", doc.buyer.cvr, schemeID=SCHEME_CVR)
    if doc.buyer.department:
        _cbc(_cac(party, "Contact"), "Name", doc.buyer.department)


def _line(root, doc: InvoiceDocument, position: int, line: DocumentLine) -> None:
    credit = doc.is_credit_note
    element = _cac(root, "CreditNoteLine" if credit else "InvoiceLine")
    _cbc(element, "ID", position)
    # A milestone taken back is a quantity of -1 at its positive price: a price is never
    # negative (BR-27), the line's amount is.
    quantity = "-1" if line.amount < 0 else "1"
    _cbc(element, "CreditedQuantity" if credit else "InvoicedQuantity", quantity, unitCode=UNIT_ONE)
    _amount(element, "LineExtensionAmount", line.amount)
    item = _cac(element, "Item")
    _cbc(item, "Description", line_description(line))
    _cbc(item, "Name", f"Deltager {line.participant_ref}, {formatting.month(doc.month, 'da')}")
    _cbc(_cac(item, "SellersItemIdentification"), "ID", line.participant_ref)
    _tax_category(item, "ClassifiedTaxCategory", doc.vat_rate)
    _amount(_cac(element, "Price"), "PriceAmount", abs(line.amount))


def line_description(line: DocumentLine) -> str:
    """What a line's amount is made of, in Danish: days, base fee, hours and any bonus; or the
    milestone paid or taken back."""
    money = formatting.money
    if not line.is_month:
        return f"{line.label}: {money(line.amount)}"
    text = f"{line.days} dage: grundbeløb {money(line.base_fee)}, timer {money(line.hours_amount)}"
    if line.bonus:
        text += f", resultatbonus {money(line.bonus)}"
    return text
