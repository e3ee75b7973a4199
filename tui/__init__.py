"""Kindred: plan, write and rehearse a family intervention."""


def kindred_version() -> str:
    """The installed version; read only when asked, as reading it takes a moment."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("kindred")
    except PackageNotFoundError:
        return "unknown"
