"""A database URL without a driver the ``[sql]`` extra installs says which URL to write (review 4, #14a)."""

from __future__ import annotations

import sys

import pytest

import customer_core as cc
from customer_core import Code, MissingDependency


@pytest.mark.parametrize(
    ("url", "module", "advice"),
    [
        ("mysql://root@db.invalid/crm", "MySQLdb", "mysql+pymysql://"),
        ("mariadb://root@db.invalid/crm", "MySQLdb", "mariadb+pymysql://"),
        ("mysql+mysqldb://root@db.invalid/crm", "MySQLdb", "mysql+pymysql://"),
        ("postgresql+psycopg2://postgres@db.invalid/crm", "psycopg2", "postgresql+psycopg://"),
    ],
)
def test_a_url_whose_driver_is_missing_names_the_url_to_use(
    monkeypatch: pytest.MonkeyPatch, url: str, module: str, advice: str
) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # not installed, whatever this machine has
    with pytest.raises(MissingDependency) as info:
        cc.connect(url)
    assert (info.value.code, info.value.field) == (Code.MISSING_DEPENDENCY, "url")
    assert advice in info.value.message
    assert repr(module) in info.value.message
    assert "pip install" not in info.value.message  # the extra is not what is missing


def test_the_extra_s_own_driver_missing_still_says_install_the_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "pymysql", None)
    with pytest.raises(MissingDependency, match=r"pip install 'customer-core\[sql\]'"):
        cc.connect("mysql+pymysql://root@db.invalid/crm")
