"""The demo's peer packages: made by the export's code (the shipped files are what it makes),
and on their data too no small count is published and none can be pinned."""

from __future__ import annotations

import pytest

from contracts.services.demo.benchmark_peers import PEERS, peer_package, shipped_package

from .attack import FIELDS, attack


@pytest.mark.parametrize("peer", sorted(PEERS))
def test_shipped_package_is_what_the_export_makes_and_holds(peer):
    package = shipped_package(peer)
    assert package == peer_package(peer)
    published = [c[f] for c in package["cells"] for f in FIELDS if c[f] is not None]
    assert not [v for v in published if 0 < v < package["min_cell"]]
    assert all(high - low >= 5 - 1e-6 for low, high in attack(package).values())
