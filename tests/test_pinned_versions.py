"""The libraries whose internals carinews reads are the versions that code was tested with."""

from importlib.metadata import version

from carinews.analysis.stem import SASTRAWI_VERSION
from carinews.engines.whoosh import WHOOSH_VERSION


def test_whoosh_is_the_version_the_whoosh_engine_was_tested_with():
    assert version("whoosh-reloaded") == WHOOSH_VERSION


def test_sastrawi_is_the_version_its_speedups_were_tested_with():
    assert version("PySastrawi") == SASTRAWI_VERSION
