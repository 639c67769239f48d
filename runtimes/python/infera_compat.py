"""Import aliases for APIs that old ModelArts packages use but current libraries dropped.

``from sklearn.externals import joblib`` was removed in scikit-learn 0.23; the ModelArts docs'
sklearn example still uses it. A meta-path finder resolves such names to the module that replaced
them, lazily, so nothing heavy is imported unless a package asks for it.
"""
import importlib
import importlib.abc
import importlib.util
import sys

# Deprecated module name -> module that replaced it.
ALIASES = {
    "sklearn.externals.joblib": "joblib",
}


class _AliasLoader(importlib.abc.Loader):

    def __init__(self, target):
        self._target = target

    def create_module(self, spec):
        # Returning the real module makes the alias the *same* object, so isinstance checks and
        # pickles keep working.
        module = importlib.import_module(self._target)
        self._original_spec = module.__spec__
        return module

    def exec_module(self, module):
        # Already executed under its real name. The import machinery stamped the alias spec onto
        # it; put the real one back so the module still reports (and reloads as) itself.
        module.__spec__ = self._original_spec


class _AliasFinder(importlib.abc.MetaPathFinder):

    def find_spec(self, fullname, path=None, target=None):
        replacement = ALIASES.get(fullname)
        if replacement is None:
            return None
        # Defer to the library when it still ships the old name (older scikit-learn).
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                return spec
        if importlib.util.find_spec(replacement) is None:
            return None
        return importlib.util.spec_from_loader(fullname, _AliasLoader(replacement))


def install():
    """Idempotently put the alias finder first on sys.meta_path."""
    if not any(isinstance(f, _AliasFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _AliasFinder())
