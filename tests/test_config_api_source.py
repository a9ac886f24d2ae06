"""A profile's choice of API (`api = "auto" | "rest" | "graphql"`) and where GraphQL is
(`graphql_url`, else beside the REST base URL): read, checked with file:line messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiteboard.config import ConfigError, InsecureBaseURLError, Settings, load_settings


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)
    return path


def load(path: Path, **options) -> Settings:
    return load_settings(config_path=path, environ={}, **options)


def test_without_a_choice_the_api_is_auto_and_graphql_is_beside_kitemakers_rest(tmp_path):
    settings = load(tmp_path / "none.toml")
    assert settings.api == "auto"
    assert settings.graphql_endpoint == "https://toil.kitemaker.co/developers/graphql"


def test_graphql_is_found_beside_the_profiles_base_url(tmp_path):
    path = write(
        tmp_path,
        '[profiles.local]\nbase_url = "http://127.0.0.1:8765/developers/rest/v1/"\napi = "REST"\n',
    )
    settings = load(path)
    assert settings.api == "rest"
    assert settings.graphql_endpoint == "http://127.0.0.1:8765/developers/graphql"


def test_a_profiles_graphql_url_wins_but_not_over_a_command_line_base_url(tmp_path):
    path = write(
        tmp_path,
        "[profiles.work]\n"
        'api = "graphql"\n'
        'graphql_url = "https://gateway.example/kitemaker/graphql/"\n',
    )
    assert load(path).graphql_endpoint == "https://gateway.example/kitemaker/graphql"
    pointed = load(path, base_url="http://localhost:9000/developers/rest/v1")
    assert pointed.graphql_endpoint == "http://localhost:9000/developers/graphql"
    assert pointed.api == "graphql"


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ('api = "grapql"', 'expected one of "auto", "rest", "graphql", got "grapql"'),
        ("api = true", "got true"),
        ('graphql_url = ""', "is empty"),
        ('graphql_url = "ftp://x.example/graphql"', "expected an http(s) URL"),
    ],
)
def test_a_wrong_api_or_graphql_url_names_the_file_line_and_key(tmp_path, line, words):
    path = write(tmp_path, f'[profiles.work]\ntoken = "abc"\n{line}\n')
    with pytest.raises(ConfigError) as raised:
        load(path)
    message = str(raised.value)
    assert "config.toml:3: profiles.work." in message and words in message
    if "grapql" in line:
        assert 'did you mean "graphql"' in message


def test_plain_http_graphql_is_refused_except_on_this_machine(tmp_path):
    path = write(tmp_path, '[profiles.w]\ngraphql_url = "http://kitemaker.example/graphql"\n')
    with pytest.raises(InsecureBaseURLError, match="unencrypted"):
        load(path)
