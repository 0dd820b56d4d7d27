"""Record the configuration as the next build will load it, so that an incremental build
says "the configuration has changed" only when it has.

Sphinx keeps the configuration in the pickled environment and compares it with the
freshly loaded one at the start of the next build. Themes (pydata-sphinx-theme, which
sphinx-book-theme builds on, among others) set options such as ``html_permalinks_icon``,
``html_sourcelink_suffix`` or ``templates_path`` once the builder exists
(``builder-inited``), after that comparison: the environment then records the theme's
values, the next build loads the user's, and every incremental build announces five
changed options that nobody changed.

Here the configuration is noted as it stands once ``config-inited`` has run (what the
comparison sees), and the pickle records those values for any option changed later in
the build. A real edit of ``conf.py`` changes the noted values too, so it is still
reported, and still rebuilds what it must. Only options whose value changed during the
build are touched; everything else is pickled exactly as Sphinx pickles it.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from sphinx.config import Config

try:  # how Sphinx itself compares two configurations (Sphinx 7.3+)
    from sphinx.util._serialise import stable_str
except ImportError:  # pragma: no cover - older or newer layouts: compare by repr
    stable_str = repr  # type: ignore[assignment]

if TYPE_CHECKING:
    from sphinx.application import Sphinx

_NOTED = "_briefbook_config_as_loaded"  # underscore: Config never pickles it
_sphinx_getstate = Config.__getstate__


def note_loaded_config(app: Sphinx, config: Config) -> None:
    """The values the next build's comparison will see (``config-inited``, last)."""
    noted: dict[str, tuple[str, Any]] = {}
    for item in config:
        try:
            noted[item.name] = (stable_str(item.value), copy.deepcopy(item.value))
        except Exception:  # a value that cannot be copied is pickled as it is
            continue
    setattr(config, _NOTED, noted)


def _getstate(self: Config) -> dict[str, Any]:
    """Sphinx's state, with the as-loaded value of every option changed since loading."""
    state = _sphinx_getstate(self)
    noted: dict[str, tuple[str, Any]] | None = self.__dict__.get(_NOTED)
    if not noted:
        return state
    options = state.get("_options", {})
    for name, (loaded_text, loaded) in noted.items():
        if name not in options:
            continue
        value, rebuild = options[name]
        try:
            changed = stable_str(value) != loaded_text
        except Exception:
            continue
        if changed:
            options[name] = (loaded, rebuild)
            if name in state:
                state[name] = loaded
    return state


def setup(app: Sphinx) -> None:
    if Config.__getstate__ is not _getstate:
        Config.__getstate__ = _getstate  # type: ignore[method-assign]
    # Last of config-inited: after briefbook's own settings and the book's conf.py.
    app.connect("config-inited", note_loaded_config, priority=999)
