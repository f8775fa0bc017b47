"""docs/errors.md and the tests agree: every row names a test file that
exists and mentions the row's function and error code."""

from __future__ import annotations

import wlsocket.errors as errors
from tests.conftest import ROOT, TESTS


def rows():
    for line in (ROOT / "docs" / "errors.md").read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 5 and cells[0] not in ("function", "---"):
            yield cells


def test_each_row_is_checked_by_an_existing_test():
    checked = list(rows())
    assert len(checked) > 30
    for function, code, kind, _, test_file in checked:
        path = TESTS / test_file
        assert path.exists(), f"{function}/{code}: {test_file} missing"
        text = path.read_text(encoding="utf-8")
        assert code in text, f"{code} not exercised in {test_file}"
        if code != "(none)":
            assert code in errors.MESSAGES, f"{code} has no message"
            assert (kind == "fatal") == (code in errors.FATAL_CODES) or kind.startswith("non-fatal (message"), (
                f"{function}/{code}: documented {kind} but FATAL_CODES says otherwise"
            )


def test_every_message_exists_in_french_and_english():
    for code, (french, english) in errors.MESSAGES.items():
        assert french and english and french != english, code
