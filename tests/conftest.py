import pytest

from tui.app import KindredApp
from tui.guide import load_guide


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path, monkeypatch):
    """Every test gets its own data and config directories, never the user's."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("KINDRED_DATA", str(tmp_path / "plan" / "kindred.json"))
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture
def make_app(tmp_path):
    def factory(**kwargs) -> KindredApp:
        return KindredApp(load_guide(kwargs.pop("content", None)), **kwargs)

    return factory
