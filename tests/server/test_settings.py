"""The settings table: documented in the README, flags over environment over defaults, loud failures."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from server import cli
from server.settings import SETTINGS, load

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_rows() -> dict[str, list[str]]:
    rows = {}
    for line in README.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\|\s*`(\w+)`\s*\|", line)
        if match:
            rows[match.group(1)] = [cell.strip().strip("`") for cell in line.strip().strip("|").split("|")]
    return rows


@pytest.mark.parametrize("setting", SETTINGS, ids=[s.name for s in SETTINGS])
def test_every_setting_is_in_the_readme_with_its_variable_and_flag(setting: object) -> None:
    rows = readme_rows()
    name = setting.name  # type: ignore[attr-defined]
    assert name in rows, f"README.md's configuration table has no row for `{name}`"
    row = rows[name]
    assert setting.env in row, f"README row of `{name}` does not give {setting.env}"  # type: ignore[attr-defined]
    assert setting.flag in row, f"README row of `{name}` does not give {setting.flag}"  # type: ignore[attr-defined]


def test_every_setting_is_a_flag_of_serve() -> None:
    help_text = cli.parser().format_help()
    for setting in SETTINGS:
        assert setting.flag in help_text
        assert setting.env in help_text


def test_the_environment_wins_over_the_default() -> None:
    assert load(env={}).port == 8080
    assert load(env={"FAIRCLICK_PORT": "9000"}).port == 9000


def test_a_flag_wins_over_the_environment() -> None:
    args = vars(cli.parser().parse_args(["--port", "9100", "--rate-limit-per-min", "0"]))
    settings = load(args, env={"FAIRCLICK_PORT": "9000", "FAIRCLICK_RATE_LIMIT_PER_MIN": "10", "FAIRCLICK_HOST": "0.0.0.0"})
    assert settings.port == 9100
    assert settings.rate_limit_per_min == 0
    assert settings.host == "0.0.0.0"  # no flag given: the environment's


@pytest.mark.parametrize(
    ("overrides", "env", "named"),
    [
        ({}, {"FAIRCLICK_PORT": "eighty"}, "FAIRCLICK_PORT"),
        ({"port": "eighty"}, {}, "--port"),
        ({}, {"FAIRCLICK_ACCESS_LOG": "maybe"}, "FAIRCLICK_ACCESS_LOG"),
        ({}, {"FAIRCLICK_DEFAULT_THRESHOLD": "twelve euros"}, "FAIRCLICK_DEFAULT_THRESHOLD"),
    ],
)
def test_a_bad_value_fails_naming_its_key(overrides: dict[str, str], env: dict[str, str], named: str) -> None:
    with pytest.raises(SystemExit) as failure:
        load(overrides, env=env)
    assert named in str(failure.value)
