"""Start Django as production does and list what our code loaded of development code (JSON).

Everything a web process or the worker imports: the URLconf with every view, the API, the
admin, the worker's task modules and the management commands. django-ninja's settings module
imports django.test.signals for Django's setting_changed signal, so django.test itself is in
every process that serves the API; what must never happen is our code importing it, or
anything of devtools, demo data or benchmarks.
"""

import json
import sys
import traceback
from importlib import import_module
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
DEVELOPMENT = ("django.test", "devtools", "factory", "pytest", "playwright")
ours_importing = []


class WatchDevelopmentImports:
    """Notes each development module imported from a file of the project (not of a library)."""

    def find_spec(self, name, path=None, target=None):
        if name.startswith(DEVELOPMENT) or name.rsplit(".", 1)[-1] in ("demo", "bench"):
            for frame in traceback.extract_stack()[:-1]:
                file = Path(frame.filename)
                if file.is_relative_to(PROJECT) and ".venv" not in file.parts and "sites" not in file.parts:
                    ours_importing.append(f"{name} from {file.relative_to(PROJECT)}:{frame.lineno}")
        return None


sys.meta_path.insert(0, WatchDevelopmentImports())

import django  # noqa: E402

django.setup()

from django.apps import apps  # noqa: E402
from django.core.management import get_commands  # noqa: E402
from django.urls import get_resolver  # noqa: E402


def views(resolver) -> int:
    count = 0
    for pattern in resolver.url_patterns:
        count += views(pattern) if hasattr(pattern, "url_patterns") else 1
    return count


def main():
    view_count = views(get_resolver())
    for app in ("helpdesk", "crisis", "feedback"):
        import_module(f"{app}.tasks")
    loaded = sorted(
        name
        for name in sys.modules
        if name.startswith(DEVELOPMENT[1:]) or name.rsplit(".", 1)[-1] in ("demo", "bench")
    )
    print(
        json.dumps(
            {
                "installed": [config.name for config in apps.get_app_configs() if "." not in config.name],
                "development_modules": loaded,
                "imported_by_our_code": ours_importing,
                "commands": sorted(get_commands()),
                "views": view_count,
            }
        )
    )


main()
